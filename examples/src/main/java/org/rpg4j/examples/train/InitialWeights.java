package org.rpg4j.examples.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Starts a run from the parameters of an earlier run's {@code model.zip} (for example a dense
 * model, so that pruning starts from trained weights as the reference's ImageNet recipe does).
 * Parameters are copied by name, so the zip must hold the same architecture; optimiser state is not
 * copied.
 */
public final class InitialWeights {
    private InitialWeights() {}

    /**
     * @param net a freshly built network; its parameters are replaced
     * @param zip a model zip written by the examples (DL4J's format, with or without rpg4j's entries)
     * @throws IOException if the file cannot be read as a DL4J ComputationGraph
     * @throws IllegalArgumentException naming the file and the first parameter that differs if the
     *     architectures do not match
     */
    public static void copyInto(ComputationGraph net, Path zip) throws IOException {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalArgumentException("--init-from must name a model zip, got " + zip + " (no such file)");
        }
        ComputationGraph source;
        try {
            source = ModelSerializer.restoreComputationGraph(zip.toFile(), false);
        } catch (RuntimeException e) {
            throw new IOException("--init-from " + zip + " is not a DL4J ComputationGraph zip: " + e.getMessage(), e);
        }
        Map<String, INDArray> from = source.paramTable();
        Map<String, INDArray> to = net.paramTable();
        if (!from.keySet().equals(to.keySet())) {
            throw new IllegalArgumentException("--init-from " + zip + " holds a different network: parameters "
                    + from.keySet() + ", expected " + to.keySet() + " (same --model and --width?)");
        }
        for (Map.Entry<String, INDArray> e : to.entrySet()) {
            INDArray value = from.get(e.getKey());
            if (!Arrays.equals(value.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("--init-from " + zip + ": parameter " + e.getKey() + " has shape "
                        + Arrays.toString(value.shape()) + ", expected " + Arrays.toString(e.getValue().shape()));
            }
            e.getValue().assign(value);
        }
    }
}
