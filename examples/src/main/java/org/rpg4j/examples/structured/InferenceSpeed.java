package org.rpg4j.examples.structured;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measured inference throughput of a network: {@code output()} in inference mode on seeded random
 * input of one batch size, a few warm-up passes then a few timed ones. The timed region is the
 * forward passes only (input creation is outside). On a shared machine the numbers are noisy:
 * compare networks measured one after the other in the same process, and give the load beside them.
 */
public final class InferenceSpeed {
    /** Untimed passes before the timed ones (JIT, workspaces, oneDNN primitives). */
    static final int WARM_UP_PASSES = 2;
    /** Timed passes at batch 1. */
    static final int PASSES_BATCH_1 = 20;
    /** Timed passes at batch 64. */
    static final int PASSES_BATCH_64 = 3;

    private InferenceSpeed() {}

    /**
     * @param net an initialised network with one input; its parameters are not modified
     * @param inputShape {@code [channels, height, width]} of one image
     * @param batch images per pass, {@code >= 1}
     * @param passes timed passes, {@code >= 1}
     * @return images per second over the timed passes
     * @throws IllegalArgumentException if {@code batch} or {@code passes} is below 1
     */
    public static double imagesPerSecond(ComputationGraph net, int[] inputShape, int batch, int passes) {
        if (batch < 1 || passes < 1) {
            throw new IllegalArgumentException("batch and passes must be >= 1, got batch " + batch + ", passes "
                    + passes);
        }
        INDArray input = Nd4j.rand(DataType.FLOAT, batch, inputShape[0], inputShape[1], inputShape[2]);
        for (int i = 0; i < WARM_UP_PASSES; i++) {
            net.outputSingle(false, input);
        }
        long start = System.nanoTime();
        for (int i = 0; i < passes; i++) {
            net.outputSingle(false, input);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return (double) batch * passes / seconds;
    }
}
