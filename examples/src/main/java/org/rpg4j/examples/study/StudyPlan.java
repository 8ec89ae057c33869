package org.rpg4j.examples.study;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rpg4j.examples.cli.PruningOptions;
import org.rpg4j.examples.data.DatasetKind;
import org.rpg4j.examples.models.ModelKind;
import org.rpg4j.examples.train.Method;

/**
 * The runs of the study: for each model, dense training and every pruning method at every
 * sparsity, with {@code seeds} seeds at the sparsities from {@link #MANY_SEEDS_FROM} up and one
 * seed below (dense training gets {@code seeds} seeds). Runs are ordered seed first, so that an
 * interrupted study has whole comparisons rather than whole models.
 *
 * @param recipes the training recipe of each model
 * @param sparsities target sparsities, each in (0, 1)
 * @param seeds seeds at high sparsity and for dense training, at least 1
 * @param dataset the data set, or null for the examples' default (synthetic data when it is missing)
 * @param dataDir its directory, or null for the data set's default
 * @param methods the methods to run, a subset of {@link #METHODS}
 * @param pruning the pruning options of the pruning runs (each recipe's {@code deltaT} replaces theirs)
 * @param fromDense whether each pruning run starts from the trained dense run of its model and seed
 *     (which then saves its {@code model.zip}) instead of a random initialisation
 */
public record StudyPlan(List<StudyRecipe> recipes, List<Double> sparsities, int seeds, DatasetKind dataset,
                        Path dataDir, List<Method> methods, PruningOptions pruning, boolean fromDense) {
    /** Sparsities from this one up get {@code seeds} seeds, lower ones a single seed. */
    public static final double MANY_SEEDS_FROM = 0.98;

    /** The methods every model is trained with, dense first. */
    public static final List<Method> METHODS = List.of(Method.DENSE, Method.GMP, Method.RIGL, Method.RPG,
            Method.RPG_REG);

    /**
     * A plan of every method, from random initialisations, without extra options.
     *
     * @see #StudyPlan(List, List, int, DatasetKind, Path, List, List, boolean)
     */
    public StudyPlan(List<StudyRecipe> recipes, List<Double> sparsities, int seeds, DatasetKind dataset,
                     Path dataDir) {
        this(recipes, sparsities, seeds, dataset, dataDir, METHODS, new PruningOptions(), false);
    }

    /**
     * @throws IllegalArgumentException naming the parameter if a list is empty, a sparsity is
     *     outside (0, 1), {@code seeds < 1}, or {@code fromDense} is set without the dense method
     */
    public StudyPlan {
        recipes = List.copyOf(recipes);
        sparsities = List.copyOf(sparsities);
        methods = List.copyOf(methods);
        if (pruning == null) {
            throw new IllegalArgumentException("pruning must not be null (new PruningOptions() for the defaults)");
        }
        pruning = pruning.copy();
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("methods must name at least one method");
        }
        if (fromDense && !methods.contains(Method.DENSE)) {
            throw new IllegalArgumentException("fromDense needs the dense method among the methods, got " + methods);
        }
        if (recipes.isEmpty()) {
            throw new IllegalArgumentException("recipes must name at least one model");
        }
        if (sparsities.isEmpty()) {
            throw new IllegalArgumentException("sparsities must hold at least one value");
        }
        for (double s : sparsities) {
            if (!(s > 0 && s < 1)) {
                throw new IllegalArgumentException("every sparsity must be in (0, 1), got " + s);
            }
        }
        if (seeds < 1) {
            throw new IllegalArgumentException("seeds must be >= 1, got " + seeds);
        }
    }

    /** @return every run, seed first, then model, sparsity and method */
    public List<StudyRun> runs() {
        List<StudyRun> runs = new ArrayList<>();
        for (int seed = 1; seed <= seeds; seed++) {
            for (StudyRecipe recipe : recipes) {
                if (methods.contains(Method.DENSE)) {
                    runs.add(run(recipe, Method.DENSE, 0.0, seed));
                }
                for (double sparsity : sparsities) {
                    if (seed > 1 && sparsity < MANY_SEEDS_FROM) {
                        continue;
                    }
                    for (Method method : METHODS.subList(1, METHODS.size())) {
                        if (methods.contains(method)) {
                            runs.add(run(recipe, method, sparsity, seed));
                        }
                    }
                }
            }
        }
        return runs;
    }

    /** @return a copy of the pruning options (the plan keeps its own) */
    @Override
    public PruningOptions pruning() {
        return pruning.copy();
    }

    /** @return the recipe of {@code model} */
    public StudyRecipe recipe(ModelKind model) {
        return recipes.stream().filter(r -> r.model() == model).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no recipe for model " + model.cliName()));
    }

    private StudyRun run(StudyRecipe recipe, Method method, double sparsity, long seed) {
        RunSpec spec = new RunSpec(recipe, dataset, dataDir, method, sparsity, seed, method.prunes() || !fromDense,
                pruning);
        String id = method.prunes() ? String.format(Locale.ROOT, "%s-%s-%s-seed%d", recipe.model().cliName(),
                method.cliName(), percent(sparsity), seed)
                : String.format(Locale.ROOT, "%s-dense-seed%d", recipe.model().cliName(), seed);
        String startsFrom = fromDense && method.prunes()
                ? String.format(Locale.ROOT, "%s-dense-seed%d", recipe.model().cliName(), seed) : null;
        return new StudyRun(id, spec, startsFrom);
    }

    /** @return the sparsity in percent without a trailing ".0": 99, 99.5 */
    static String percent(double sparsity) {
        double p = Math.round(sparsity * 1e4) / 1e2;
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }
}
