package org.rpg4j.examples.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.examples.data.BatchAssembler;
import org.rpg4j.examples.data.ImageSet;

/** Test accuracy of a network, in inference mode (batch norm uses its running statistics). */
public final class Evaluator {
    private Evaluator() {}

    /**
     * @param net the network; its parameters are not modified
     * @param test assembler of the test images (without augmentation)
     * @param batchSize images per forward pass, {@code >= 1}
     * @return fraction of images whose arg-max output is their label, in [0, 1]
     */
    public static double accuracy(ComputationGraph net, BatchAssembler test, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        ImageSet images = test.images();
        int n = images.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        long correct = 0;
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            INDArray features = test.batch(order, from, to, null).getFeatures();
            int[] predicted = net.outputSingle(false, features).argMax(1).toIntVector();
            for (int i = 0; i < predicted.length; i++) {
                if (predicted[i] == images.label(from + i)) {
                    correct++;
                }
            }
        }
        return (double) correct / n;
    }
}
