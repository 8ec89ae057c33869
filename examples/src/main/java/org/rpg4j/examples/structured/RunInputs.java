package org.rpg4j.examples.structured;

import java.io.IOException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.rpg4j.examples.cli.OptionChecks;
import org.rpg4j.examples.cli.Options;
import org.rpg4j.examples.data.Augmentation;
import org.rpg4j.examples.data.BatchAssembler;
import org.rpg4j.examples.data.DataSources;
import org.rpg4j.examples.data.Normalization;
import org.rpg4j.examples.data.TrainTestData;
import org.rpg4j.examples.models.NetworkSettings;
import org.rpg4j.examples.models.ParameterCount;
import org.rpg4j.examples.results.RunRecord;
import org.rpg4j.examples.train.CosineWarmupSchedule;
import org.rpg4j.examples.train.HeavyBallSgd;
import org.rpg4j.examples.train.TrainingPlan;
import org.rpg4j.examples.train.WeightInspector;

/**
 * What every phase of a structured run shares, made from the options once: the data (after
 * {@code --subset}), its normalisation and augmentation, the training and test batches, the plans of
 * the phases and the original network.
 *
 * @param options the parsed options
 * @param data the training and test images
 * @param normalization per-channel statistics of the training images
 * @param augmentation the training augmentation
 * @param train training batches
 * @param test test batches
 */
record RunInputs(Options options, TrainTestData data, Normalization normalization, Augmentation augmentation,
                 BatchAssembler train, BatchAssembler test) {
    /**
     * @param options the parsed options
     * @return the inputs
     * @throws IOException if the data cannot be read
     * @throws IllegalArgumentException if {@code --batch-size} exceeds the training images
     */
    static RunInputs load(Options options) throws IOException {
        TrainTestData all = DataSources.load(options.dataset, options.dataDir, options.model.nativeChannels(),
                options.model.nativeSide(), options.seed);
        TrainTestData data = all.head(options.subset > 0 ? options.subset : Integer.MAX_VALUE,
                options.testSubset > 0 ? options.testSubset : Integer.MAX_VALUE);
        OptionChecks.checkBatch(options, data.train().size());
        Normalization normalization = Normalization.of(data.train());
        Augmentation augmentation = switch (options.augment) {
            case "none" -> Augmentation.NONE;
            case "crop-flip" -> Augmentation.CROP_FLIP;
            default -> data.train().channels() == 3 && data.train().height() == 32 ? Augmentation.CROP_FLIP
                    : Augmentation.NONE;
        };
        return new RunInputs(options, data, normalization, augmentation, new BatchAssembler(data.train(),
                normalization, augmentation, options.labelSmoothing), new BatchAssembler(data.test(), normalization,
                        Augmentation.NONE, 0.0));
    }

    /**
     * @param epochs epochs of the phase
     * @return the phase's plan ({@code --max-iterations} caps it)
     */
    TrainingPlan plan(int epochs) {
        return TrainingPlan.of(data.train().size(), epochs, options.batchSize, options.maxIterations,
                options.progressEvery, options.evalBatchSize, options.seed);
    }

    /**
     * @param totalIterations iterations the schedule spans
     * @param first the plan of the schedule's first phase (its epochs size the warm-up)
     * @return {@code --lr} with {@code --warmup-epochs} of warm-up, then cosine to 0 at {@code totalIterations}
     */
    CosineWarmupSchedule schedule(long totalIterations, TrainingPlan first) {
        long warmup = Math.min(Math.round(options.warmupEpochs * first.iterationsPerEpoch()), totalIterations - 1);
        return new CosineWarmupSchedule(options.lr, warmup, totalIterations);
    }

    /**
     * @param schedule the learning rate of the run
     * @return the original network, initialised
     */
    ComputationGraph network(CosineWarmupSchedule schedule) {
        return options.model.build(options.width, options.shortcut, new NetworkSettings(data.train().channels(), data
                .train().height(), data.train().width(), data.train().numClasses(), new HeavyBallSgd(schedule,
                        options.momentum), options.weightDecay, options.layers.kit(), options.seed));
    }

    /** @return {@code [channels, height, width]} of the images */
    int[] inputShape() {
        return new int[] {data.train().channels(), data.train().height(), data.train().width()};
    }

    /**
     * @param net the original network
     * @return its description, for results.json
     */
    RunRecord.ModelInfo modelInfo(ComputationGraph net) {
        ParameterCount count = ParameterCount.of(net);
        long prunable = WeightInspector.prunableWeights(net).stream().mapToLong(w -> w.weight().length()).sum();
        return new RunRecord.ModelInfo(options.model.cliName(), options.model.cliName(), options.layers.resolve()
                .cliName(), count.total(), count.trainable(), prunable);
    }
}
