package org.rpg4j.examples.study;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.rpg4j.examples.cli.Options;
import org.rpg4j.examples.cli.PruningOptions;
import org.rpg4j.examples.data.DatasetKind;
import org.rpg4j.examples.train.Method;

/**
 * What one run of the study trains, as typed values: it becomes the example {@link Options}
 * directly ({@link #toOptions}), and {@link #arguments()} is the equivalent command line, for
 * {@code --list} and {@code results.json}.
 *
 * @param recipe the model's training recipe (its {@code deltaT} is the run's)
 * @param dataset the data set, or null for the examples' default (Fashion-MNIST, or synthetic data
 *     when it is not installed)
 * @param dataDir its directory, or null for the data set's default
 * @param method the training method
 * @param sparsity target sparsity (ignored by dense training)
 * @param seed seed of everything random in the run
 * @param resultsOnly whether the run skips its model.zip and plots
 * @param pruning the pruning options (copied; the recipe's {@code deltaT} replaces theirs)
 */
public record RunSpec(StudyRecipe recipe, DatasetKind dataset, Path dataDir, Method method, double sparsity,
                      long seed, boolean resultsOnly, PruningOptions pruning) {
    /** Copies the pruning options and sets the recipe's {@code deltaT} on the copy. */
    public RunSpec {
        if (recipe == null || method == null || pruning == null) {
            throw new IllegalArgumentException("recipe, method and pruning must not be null");
        }
        pruning = pruning.copy();
        pruning.deltaT = recipe.deltaT();
    }

    /** @return a copy of the run's pruning options (the record keeps its own) */
    @Override
    public PruningOptions pruning() {
        return pruning.copy();
    }

    /**
     * @param output the run's output directory
     * @param initFrom the model.zip the run starts from, or null for a random initialisation
     * @return the example options of this run
     */
    public Options toOptions(Path output, Path initFrom) {
        Options o = new Options();
        o.model = recipe.model();
        o.epochs = recipe.epochs();
        o.batchSize = recipe.batchSize();
        o.lr = recipe.lr();
        o.warmupEpochs = recipe.warmupEpochs();
        o.subset = recipe.trainImages();
        o.testSubset = recipe.testImages();
        o.dataset = dataset;
        o.dataDir = dataDir;
        o.method = method;
        o.seed = seed;
        o.resultsOnly = resultsOnly;
        // dense training uses no pruning option: its options stay at the defaults, as its command line says
        o.pruning = method.prunes() ? pruning.copy() : new PruningOptions();
        o.pruning.deltaT = recipe.deltaT();
        if (method.prunes()) {
            o.sparsity = sparsity;
        }
        o.output = output;
        o.initFrom = initFrom;
        return o;
    }

    /** @return the example command line of this run, without {@code --output} and {@code --init-from} */
    public List<String> arguments() {
        List<String> args = new ArrayList<>(recipe.arguments());
        if (dataset != null) {
            args.addAll(List.of("--dataset", dataset.cliName()));
        }
        args.addAll(List.of("--method", method.cliName(), "--seed", Long.toString(seed)));
        if (resultsOnly) {
            args.add("--results-only");
        }
        if (method.prunes()) {
            args.addAll(List.of("--sparsity", String.format(Locale.ROOT, "%s", sparsity)));
            args.addAll(pruning.arguments(Set.of("--delta-t")));
        }
        if (dataDir != null) {
            args.addAll(List.of("--data-dir", dataDir.toString()));
        }
        return args;
    }
}
