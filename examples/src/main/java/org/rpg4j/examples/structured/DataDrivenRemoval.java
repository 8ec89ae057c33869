package org.rpg4j.examples.structured;

import java.util.function.Supplier;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.rpg4j.dl4j.structured.StructuredConfig;
import org.rpg4j.dl4j.structured.StructuredResult;
import org.rpg4j.dl4j.structured.data.ChannelPruning;
import org.rpg4j.dl4j.structured.data.DataDrivenResult;
import org.rpg4j.dl4j.structured.data.HRank;
import org.rpg4j.examples.data.Augmentation;
import org.rpg4j.examples.data.BatchAssembler;
import org.rpg4j.examples.datadriven.DataDrivenOptions;
import org.rpg4j.examples.datadriven.ImageSetIterator;

/**
 * How a data-driven method removes the channels of a structured run: attached to the network before
 * training and finished after it. HRank and Channel Pruning collect their statistics on the trained
 * network when finished; DropNet ({@link DropNetRounds}) drops channels in rounds during training.
 * Each method's factory is one of the static methods here, named in {@link StructuredMethod#of}.
 */
public interface DataDrivenRemoval {
    /**
     * Collects what is still to be collected, removes the chosen channels and shrinks the network.
     *
     * @return the shrunk network and what the statistics cost
     * @throws IllegalStateException if called twice
     */
    Removed finish();

    /**
     * The shrunk network and what the data-driven method measured.
     *
     * @param result the shrunk network, the selection and the report
     * @param outcome statistics cost and the groups left whole, for results.json
     */
    record Removed(StructuredResult result, DataDrivenOutcome outcome) {}

    /**
     * What every data-driven method gets from the run.
     *
     * @param net the network about to be trained; DropNet masks its channels during training
     * @param config channel sparsity, scope, input shape ({@code criterion} unused)
     * @param statistics the batches the statistics are read from (training images, not augmented)
     * @param trainingIterations iterations of the training phase
     * @param options the data-driven options
     * @param seed the run's seed
     */
    record Setting(ComputationGraph net, StructuredConfig config, DataSetIterator statistics, long trainingIterations,
                   DataDrivenOptions options, long seed) {}

    /** Makes one method's removal for one run. */
    @FunctionalInterface
    interface Factory {
        /**
         * @param setting what the run provides
         * @return the removal, attached
         * @throws IllegalArgumentException naming an option that does not fit the run
         */
        DataDrivenRemoval attach(Setting setting);
    }

    /**
     * @param in the run's inputs
     * @param batchSize images per statistics batch
     * @param seed seed of the batches' order
     * @return the training images, normalised, not augmented, in a seeded random order per pass
     */
    static DataSetIterator statisticsBatches(RunInputs in, int batchSize, long seed) {
        return new ImageSetIterator(new BatchAssembler(in.data().train(), in.normalization(), Augmentation.NONE, 0.0),
                batchSize, true, seed);
    }

    /**
     * @param s the run's setting
     * @return HRank after training: average feature-map ranks on {@code --stat-batches} batches
     */
    static DataDrivenRemoval hrank(Setting s) {
        return once(() -> HRank.prune(s.net(), s.config(), s.statistics(), s.options().resolvedStatBatches()), null);
    }

    /**
     * @param s the run's setting
     * @return Channel Pruning after training: {@code --samples} patches per layer from
     *     {@code --stat-batches} batches, LASSO selection and least-squares refit
     */
    static DataDrivenRemoval channelPruning(Setting s) {
        int samples = s.options().resolvedSamples();
        return once(() -> ChannelPruning.prune(s.net(), s.config(), s.statistics(), s.options().resolvedStatBatches(),
                samples, s.seed()), samples);
    }

    /**
     * @param s the run's setting
     * @return DropNet: {@code --dropnet-rounds} rounds during training, the network shrunk when finished
     * @throws IllegalArgumentException if the rounds do not fit into the training iterations
     */
    static DataDrivenRemoval dropNet(Setting s) {
        return DropNetRounds.attach(s);
    }

    private static DataDrivenRemoval once(Supplier<DataDrivenResult> prune, Integer samples) {
        boolean[] finished = {false};
        return () -> {
            if (finished[0]) {
                throw new IllegalStateException("the channels were already removed");
            }
            finished[0] = true;
            long start = System.nanoTime();
            DataDrivenResult r = prune.get();
            return new Removed(r.result(), DataDrivenOutcome.of(r, (System.nanoTime() - start) / 1e9, 1, samples,
                    null));
        };
    }
}
