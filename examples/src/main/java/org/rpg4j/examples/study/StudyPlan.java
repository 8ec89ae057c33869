package org.rpg4j.examples.study;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * @param dataset the data set
 * @param dataDir its directory, or null for the data set's default
 */
public record StudyPlan(List<StudyRecipe> recipes, List<Double> sparsities, int seeds, DatasetKind dataset,
                        Path dataDir) {
    /** Sparsities from this one up get {@code seeds} seeds, lower ones a single seed. */
    public static final double MANY_SEEDS_FROM = 0.98;

    /** The methods every model is trained with, dense first. */
    public static final List<Method> METHODS = List.of(Method.DENSE, Method.GMP, Method.RIGL, Method.RPG,
            Method.RPG_REG);

    /**
     * @throws IllegalArgumentException naming the parameter if a list is empty, a sparsity is
     *     outside (0, 1) or {@code seeds < 1}
     */
    public StudyPlan {
        recipes = List.copyOf(recipes);
        sparsities = List.copyOf(sparsities);
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
                runs.add(run(recipe, Method.DENSE, 0.0, seed));
                for (double sparsity : sparsities) {
                    if (seed > 1 && sparsity < MANY_SEEDS_FROM) {
                        continue;
                    }
                    for (Method method : METHODS.subList(1, METHODS.size())) {
                        runs.add(run(recipe, method, sparsity, seed));
                    }
                }
            }
        }
        return runs;
    }

    /** @return the recipe of {@code model} */
    public StudyRecipe recipe(ModelKind model) {
        return recipes.stream().filter(r -> r.model() == model).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no recipe for model " + model.cliName()));
    }

    private StudyRun run(StudyRecipe recipe, Method method, double sparsity, long seed) {
        List<String> args = new ArrayList<>(recipe.arguments());
        args.addAll(List.of("--dataset", dataset.cliName(), "--method", method.cliName(), "--seed",
                Long.toString(seed), "--results-only"));
        String id;
        if (method.prunes()) {
            args.addAll(List.of("--sparsity", String.format(Locale.ROOT, "%s", sparsity)));
            id = String.format(Locale.ROOT, "%s-%s-%s-seed%d", recipe.model().cliName(), method.cliName(),
                    percent(sparsity), seed);
        } else {
            id = String.format(Locale.ROOT, "%s-dense-seed%d", recipe.model().cliName(), seed);
        }
        if (dataDir != null) {
            args.addAll(List.of("--data-dir", dataDir.toString()));
        }
        return new StudyRun(id, recipe.model(), method, sparsity, seed, args);
    }

    /** @return the sparsity in percent without a trailing ".0": 99, 99.5 */
    static String percent(double sparsity) {
        double p = Math.round(sparsity * 1e4) / 1e2;
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }
}
