package org.rpg4j.benchmarks.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.prune.PrunableTensor;

/**
 * A model's prunable tensors as the {@link org.rpg4j.prune.Pruner} sees them ({@code conv0},
 * {@code conv1}, ..., {@code fc}), with seeded float32 weights and dense gradients.
 */
public final class ModelTensors {

    private ModelTensors() {
    }

    /** @return one {@link PrunableTensor} per entry of {@link ModelShapes#tensors()}, float32 */
    public static List<PrunableTensor> describe(ModelShapes model) {
        List<PrunableTensor> tensors = new ArrayList<>();
        List<long[]> shapes = model.tensors();
        for (int i = 0; i < shapes.size(); i++) {
            long[] shape = shapes.get(i);
            tensors.add(shape.length == 4
                    ? PrunableTensor.convolution("conv" + i, "ConvolutionLayer", shape, DataType.FLOAT)
                    : PrunableTensor.dense("fc", "DenseLayer", shape, DataType.FLOAT));
        }
        return tensors;
    }

    /**
     * @param sparsity fraction of zeros per tensor, in [0, 1)
     * @param seed base seed; tensor {@code i} uses {@code seed + i}
     * @return name to {@link SyntheticWeights} of each tensor, in tensor order
     */
    public static Map<String, INDArray> weights(List<PrunableTensor> tensors, double sparsity, long seed) {
        Map<String, INDArray> weights = new LinkedHashMap<>();
        for (int i = 0; i < tensors.size(); i++) {
            weights.put(tensors.get(i).name(), SyntheticWeights.of(tensors.get(i).shape(), sparsity, seed + i));
        }
        return weights;
    }

    /** @return name to seeded N(0, 0.01^2) arrays of each tensor's shape: a batch-mean gradient */
    public static Map<String, INDArray> gradients(List<PrunableTensor> tensors, long seed) {
        Map<String, INDArray> gradients = new LinkedHashMap<>();
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (PrunableTensor t : tensors) {
            float[] g = new float[Math.toIntExact(t.length())];
            for (int j = 0; j < g.length; j++) {
                g[j] = (float) (1e-2 * random.nextGaussian());
            }
            gradients.put(t.name(), org.nd4j.linalg.factory.Nd4j.create(g, t.shape(), 'c'));
        }
        return gradients;
    }
}
