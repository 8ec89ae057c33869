package org.rpg4j.dl4j.deploy.runner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rpg4j.sparse.kernel.FusedActivation;
import org.rpg4j.sparse.kernel.KernelThreading;
import org.rpg4j.sparse.kernel.PlaneLayout;

/**
 * A residual join: the element-wise sum of inputs of one shape (DL4J's {@code ElementWiseVertex} with
 * {@code Op.Add}), with a following ReLU layer fused when there is one, computed on Java arrays so
 * that a chain of sparse convolutions and residual adds never converts to ND4J and back. Chunks of
 * 64 Ki floats are spread over threads like the sparse kernels' tasks.
 */
final class AddStep implements Step {

    /** Floats per parallel task: big enough that forking pays, small enough to spread a batch. */
    private static final int CHUNK = 1 << 16;

    private final String name;
    private final FusedActivation activation;
    private final KernelThreading threading;
    private final List<Step> readers = new ArrayList<>();
    private ArrayPool pool;

    /**
     * @param name the vertex name
     * @param activation identity, or ReLU when a ReLU layer was fused
     * @param threading how chunks of the arrays are spread over threads
     */
    AddStep(String name, FusedActivation activation, KernelThreading threading) {
        this.name = name;
        this.activation = activation;
        this.threading = threading;
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
        // in the readers' padded layout when they have one: zero borders add (and ReLU) to zero
        PlaneLayout layout = inputLayout(shape);
        float[][] terms = new float[inputs.length][];
        for (int t = 0; t < inputs.length; t++) {
            terms[t] = layout != null ? inputs[t].padded(layout) : inputs[t].floats();
        }
        float[] sum = ArrayPool.take(pool, terms[0].length);
        int chunks = (sum.length + CHUNK - 1) / CHUNK;
        threading.run(chunks, (long) sum.length * inputs.length, chunk -> addChunk(terms, sum, chunk * CHUNK,
                Math.min(sum.length, (chunk + 1) * CHUNK)));
        return layout != null ? Tensor.padded(sum, layout, shape) : Tensor.of(sum, shape);
    }

    @Override
    public void addReader(Step reader) {
        readers.add(reader);
    }

    /** An add reads its inputs in whatever layout its own readers read (of the same shape), if any. */
    @Override
    public PlaneLayout inputLayout(long[] inputShape) {
        PlaneLayout layout = inputShape.length == 4 ? Step.wantedBy(readers, inputShape) : null;
        return layout != null && layout.height() == inputShape[2] && layout.width() == inputShape[3] ? layout : null;
    }

    /** {@code sum[from, to)} = the activation of the sum of the terms there. */
    private void addChunk(float[][] terms, float[] sum, int from, int to) {
        float[] first = terms[0];
        if (terms.length == 2 && activation == FusedActivation.RELU) {
            // the usual residual join: one pass
            float[] second = terms[1];
            for (int i = from; i < to; i++) {
                sum[i] = Math.max(first[i] + second[i], 0.0f);
            }
            return;
        }
        System.arraycopy(first, from, sum, from, to - from);
        for (int t = 1; t < terms.length; t++) {
            float[] term = terms[t];
            for (int i = from; i < to; i++) {
                sum[i] += term[i];
            }
        }
        if (activation == FusedActivation.RELU) {
            for (int i = from; i < to; i++) {
                sum[i] = Math.max(sum[i], 0.0f);
            }
        }
    }

    @Override
    public void usePool(ArrayPool runnerPool) {
        this.pool = runnerPool;
    }

    /** @return the activation applied after the sum */
    FusedActivation activation() {
        return activation;
    }

    @Override
    public List<LayerChoice> choices() {
        String operation = "add" + (activation == FusedActivation.RELU ? " +relu" : "");
        return List.of(new LayerChoice(name, operation, Double.NaN, 0, Double.NaN, Double.NaN, KernelKind.JAVA));
    }
}
