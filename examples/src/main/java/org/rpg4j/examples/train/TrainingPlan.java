package org.rpg4j.examples.train;

/**
 * How long and in what steps a run trains.
 *
 * @param epochs passes over the training set (the last may be cut short by {@code totalIterations})
 * @param batchSize images per training iteration; an incomplete last batch of an epoch is dropped
 * @param iterationsPerEpoch {@code floor(trainingImages / batchSize)}, {@code >= 1}
 * @param totalIterations iterations of the whole run, {@code <= epochs * iterationsPerEpoch}
 * @param progressEvery print a progress line every this many iterations, {@code >= 1}
 * @param evalBatchSize images per evaluation batch, {@code >= 1}
 * @param seed seed of the shuffling and augmentation
 */
public record TrainingPlan(int epochs, int batchSize, int iterationsPerEpoch, long totalIterations,
                           int progressEvery, int evalBatchSize, long seed) {
    /** @throws IllegalArgumentException naming the first invalid value */
    public TrainingPlan {
        atLeastOne("epochs", epochs);
        atLeastOne("batchSize", batchSize);
        atLeastOne("iterationsPerEpoch", iterationsPerEpoch);
        atLeastOne("progressEvery", progressEvery);
        atLeastOne("evalBatchSize", evalBatchSize);
        if (totalIterations < 1 || totalIterations > (long) epochs * iterationsPerEpoch) {
            throw new IllegalArgumentException("totalIterations must be in [1, epochs * iterationsPerEpoch = "
                    + (long) epochs * iterationsPerEpoch + "], got " + totalIterations);
        }
    }

    /**
     * Plans a run.
     *
     * @param trainingImages images in the training set
     * @param epochs requested epochs, {@code >= 1}
     * @param batchSize images per iteration, in {@code [1, trainingImages]}
     * @param maxIterations cap on the total iterations, or {@code <= 0} for none
     * @param progressEvery iterations between progress lines
     * @param evalBatchSize images per evaluation batch
     * @param seed seed of shuffling and augmentation
     * @return the plan; {@code epochs} is reduced to the epochs the cap lets start
     * @throws IllegalArgumentException if the batch is larger than the training set or a value is invalid
     */
    public static TrainingPlan of(int trainingImages, int epochs, int batchSize, long maxIterations,
                                  int progressEvery, int evalBatchSize, long seed) {
        atLeastOne("epochs", epochs);
        if (batchSize < 1 || batchSize > trainingImages) {
            throw new IllegalArgumentException("batchSize must be in [1, " + trainingImages
                    + "] (the training images), got " + batchSize);
        }
        int perEpoch = trainingImages / batchSize;
        long total = (long) epochs * perEpoch;
        if (maxIterations > 0) {
            total = Math.min(total, maxIterations);
        }
        int effectiveEpochs = (int) ((total + perEpoch - 1) / perEpoch);
        return new TrainingPlan(effectiveEpochs, batchSize, perEpoch, total, progressEvery, evalBatchSize, seed);
    }

    private static void atLeastOne(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }
}
