package org.rpg4j.examples.models;

import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Counts parameters the way papers do: DL4J stores batch norm's running mean and variance in the
 * parameter vector, so {@code numParams()} is larger than the trainable count that PyTorch's
 * {@code sum(p.numel() for p in model.parameters())} gives.
 *
 * @param total everything in DL4J's parameter vector
 * @param trainable total minus the batch-norm running statistics
 */
public record ParameterCount(long total, long trainable) {
    /**
     * @param net an initialised network; not modified
     * @return its parameter counts
     */
    public static ParameterCount of(ComputationGraph net) {
        long total = 0;
        long runningStats = 0;
        for (Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
            long n = e.getValue().length();
            total += n;
            String key = e.getKey();
            if (key.endsWith("_mean") || key.endsWith("_var") || key.endsWith("_log10stdev")) {
                runningStats += n;
            }
        }
        return new ParameterCount(total, total - runningStats);
    }
}
