package org.rpg4j.examples.train;

import java.util.List;

/**
 * Everything the {@link Trainer} needs, besides the network (weights, updater state, iteration and
 * epoch counters, which the model zip holds) and the pruning state (in the same zip), to continue a
 * run bit-identically from a point between two iterations. Taken by {@link Trainer} only where its
 * state is complete: after an iteration, or after an epoch's evaluation.
 *
 * @param iteration training iterations done, {@code >= 0}; also the learning-rate schedule's position
 * @param epoch the 1-based epoch the next iteration belongs to
 * @param batch the next batch's index within that epoch, in {@code [0, iterationsPerEpoch)}
 * @param shuffleSeed seed of the epoch's shuffled order (a Fisher-Yates permutation drawn from it)
 * @param augmentationSeed seed of the epoch's augmentation random stream
 * @param augmentedImages images of the epoch the augmentation stream has been drawn for ({@code batch * batchSize})
 * @param randomRootState ND4J's random generator (dropout and other stochastic layers): root state
 * @param randomNodeState ND4J's random generator: node state
 * @param epochLoss summed loss of the epoch's iterations so far
 * @param epochSeconds training seconds of the epoch so far
 * @param windowLoss summed loss since the last progress line
 * @param windowIterations iterations since the last progress line
 * @param windowSeconds seconds since the last progress line
 * @param trainingSeconds training seconds of the whole run so far
 * @param evaluationSeconds evaluation seconds of the whole run so far
 * @param elapsedSeconds wall time of the run so far (training and evaluation)
 * @param epochs metrics of the finished epochs, in order
 * @param trace progress points so far, in order
 */
public record TrainerState(long iteration, int epoch, int batch, long shuffleSeed, long augmentationSeed,
                           long augmentedImages, long randomRootState, long randomNodeState, double epochLoss,
                           double epochSeconds, double windowLoss, int windowIterations, double windowSeconds,
                           double trainingSeconds, double evaluationSeconds, double elapsedSeconds,
                           List<EpochMetrics> epochs, List<TracePoint> trace) {
    /** @throws IllegalArgumentException if a position is negative */
    public TrainerState {
        if (iteration < 0 || epoch < 1 || batch < 0 || augmentedImages < 0 || windowIterations < 0) {
            throw new IllegalArgumentException("iteration, batch, augmentedImages and windowIterations must be >= 0 "
                    + "and epoch >= 1, got " + iteration + ", " + batch + ", " + augmentedImages + ", "
                    + windowIterations + " and " + epoch);
        }
        epochs = List.copyOf(epochs);
        trace = List.copyOf(trace);
    }
}
