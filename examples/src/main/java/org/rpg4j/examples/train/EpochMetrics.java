package org.rpg4j.examples.train;

import java.util.List;

/**
 * What one epoch ended with.
 *
 * @param epoch 1-based epoch
 * @param iteration training iterations done so far
 * @param trainLoss mean DL4J score (cross-entropy plus the L2 term) over the epoch's iterations
 * @param testAccuracy fraction of test images classified correctly, in [0, 1]
 * @param sparsity fraction of zeros over all prunable weights
 * @param meanDeltaRank mean delta-rank over prunable layers ({@code NaN} if not measured)
 * @param learningRate learning rate of the epoch's last iteration
 * @param imagesPerSecond training images per second over the epoch (iterations only, no evaluation)
 * @param elapsedSeconds wall time since training started, evaluation included
 * @param layers per-layer sparsity and delta-rank at the end of the epoch
 */
public record EpochMetrics(int epoch, long iteration, double trainLoss, double testAccuracy, double sparsity,
                           double meanDeltaRank, double learningRate, double imagesPerSecond, double elapsedSeconds,
                           List<LayerStat> layers) {
    /** Defensive copy of the layers. */
    public EpochMetrics {
        layers = List.copyOf(layers);
    }
}
