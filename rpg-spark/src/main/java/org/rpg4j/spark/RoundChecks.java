package org.rpg4j.spark;

import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.prune.Pruner;

/** The driver's checks after an averaging round: the executors did what the plan said. */
final class RoundChecks {
    private RoundChecks() {}

    /**
     * @param scores the merged executor report
     * @param round the round just trained
     * @param averagingFrequency the master's averaging frequency
     * @throws IllegalStateException if the listener missed an iteration or a worker trained more
     *     minibatches than one averaging round holds
     */
    static void executors(RoundScores scores, long round, int averagingFrequency) {
        if (scores.listenerSteps() != scores.iterations()) {
            throw new IllegalStateException("round " + round + ": rpg4j's executor listener ran at "
                    + scores.listenerSteps() + " of " + scores.iterations() + " iterations (setListeners on the "
                    + "training master after SparkPruning.attach replaces it): the gradients were not masked");
        }
        if (scores.maxTaskIterations() > averagingFrequency) {
            throw new IllegalStateException("round " + round + ": a worker trained " + scores.maxTaskIterations()
                    + " minibatches, more than the averaging frequency " + averagingFrequency
                    + ": give fitRound at most numWorkers * averagingFrequency minibatches, evenly partitioned");
        }
    }

    /**
     * @param weights the driver's averaged weights by tensor name; not modified
     * @param pruner holds the masks
     * @param round the round just trained
     * @throws IllegalStateException if a weight is non-zero where its mask prunes
     */
    static void driverWeights(Map<String, INDArray> weights, Pruner pruner, long round) {
        for (Map.Entry<String, INDArray> e : weights.entrySet()) {
            INDArray pruned = pruner.mask(e.getKey()).rsub(1.0).castTo(e.getValue().dataType());
            double l1 = e.getValue().mul(pruned).norm1Number().doubleValue();
            if (l1 != 0.0) {
                throw new IllegalStateException("round " + round + ": the averaged weights of '" + e.getKey()
                        + "' are non-zero where the mask prunes (L1 " + l1 + "): mask drift");
            }
        }
    }
}
