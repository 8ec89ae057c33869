package org.rpg4j.dl4j.deploy.runner;

import java.util.Arrays;
import java.util.List;
import org.rpg4j.sparse.kernel.FusedActivation;

/**
 * A residual join: the element-wise sum of inputs of one shape (DL4J's {@code ElementWiseVertex} with
 * {@code Op.Add}), with a following ReLU layer fused when there is one, computed on Java arrays so
 * that a chain of sparse convolutions and residual adds never converts to ND4J and back.
 */
final class AddStep implements Step {

    private final String name;
    private final FusedActivation activation;

    /**
     * @param name the vertex name
     * @param activation identity, or ReLU when a ReLU layer was fused
     */
    AddStep(String name, FusedActivation activation) {
        this.name = name;
        this.activation = activation;
    }

    @Override
    public Tensor run(Tensor[] inputs) {
        long[] shape = inputs[0].shape();
        for (Tensor input : inputs) {
            if (!Arrays.equals(shape, input.shape())) {
                throw new IllegalArgumentException("inputs of add vertex " + name + " must have one shape, got "
                        + Arrays.toString(shape) + " and " + Arrays.toString(input.shape()));
            }
        }
        float[] first = inputs[0].floats();
        float[] second = inputs.length > 1 ? inputs[1].floats() : new float[first.length];
        float[] sum = new float[first.length];
        // one pass for the usual two-input add (+ ReLU); further inputs are added afterwards
        boolean reluNow = activation == FusedActivation.RELU && inputs.length <= 2;
        for (int i = 0; i < sum.length; i++) {
            float v = first[i] + second[i];
            sum[i] = reluNow ? Math.max(v, 0.0f) : v;
        }
        for (int t = 2; t < inputs.length; t++) {
            float[] term = inputs[t].floats();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += term[i];
            }
        }
        if (activation == FusedActivation.RELU && !reluNow) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] = Math.max(sum[i], 0.0f);
            }
        }
        return Tensor.of(sum, shape);
    }

    @Override
    public List<LayerChoice> choices() {
        String operation = "add" + (activation == FusedActivation.RELU ? " +relu" : "");
        return List.of(new LayerChoice(name, operation, Double.NaN, 0, Double.NaN, Double.NaN, KernelKind.JAVA));
    }
}
