package org.rpg4j.examples.train;

import java.util.List;

/**
 * Everything a run measured while training.
 *
 * @param epochs one entry per epoch, in order
 * @param trace one entry per progress line, in order
 * @param trainingSeconds wall time spent in training iterations (batch assembly and {@code fit})
 * @param evaluationSeconds wall time spent evaluating and measuring ranks
 * @param iterations training iterations done
 * @param images training images processed
 */
public record TrainingHistory(List<EpochMetrics> epochs, List<TracePoint> trace, double trainingSeconds,
                              double evaluationSeconds, long iterations, long images) {
    /** Defensive copies. */
    public TrainingHistory {
        epochs = List.copyOf(epochs);
        trace = List.copyOf(trace);
    }

    /** @return training images per second over the whole run, evaluation excluded */
    public double imagesPerSecond() {
        return trainingSeconds > 0 ? images / trainingSeconds : Double.NaN;
    }

    /** @return the last epoch's metrics */
    public EpochMetrics last() {
        return epochs.get(epochs.size() - 1);
    }
}
