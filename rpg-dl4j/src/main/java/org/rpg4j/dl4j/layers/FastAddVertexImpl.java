package org.rpg4j.dl4j.layers;

import java.util.Arrays;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.impl.ElementWiseVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runtime vertex of {@link FastAddVertex}: DL4J's add vertex, with a Java loop for small float32 inputs
 * (below {@link BatchNormInference#SEQUENTIAL_ELEMENTS} elements, contiguous in host memory) and the ReLU
 * applied to the sum. The sum is taken in input order, as DL4J's vertex takes it, so the results are the
 * same bit for bit.
 */
// DL4J's BaseGraphVertex declares setInputs(INDArray[]) for the interface's setInputs(INDArray...): inherited as is
@SuppressWarnings("overrides")
final class FastAddVertexImpl extends ElementWiseVertex {

    private static final long serialVersionUID = 1L;

    /**
     * The calling thread's two Java arrays for {@link #javaSum} (each grown to the largest input, at most
     * {@link BatchNormInference#SEQUENTIAL_ELEMENTS} floats): no allocation and zeroing per call.
     */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[][] {new float[0],
            new float[0]});

    private final boolean relu;

    FastAddVertexImpl(ComputationGraph graph, String name, int vertexIndex, boolean relu, DataType dataType) {
        super(graph, name, vertexIndex, ElementWiseVertex.Op.Add, dataType);
        this.relu = relu;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoForward()) {
            throw new IllegalStateException("vertex " + vertexName + ": cannot do forward pass, inputs not all set");
        }
        INDArray small = javaSum(workspaceMgr);
        if (small != null) {
            return small;
        }
        INDArray sum = super.doForward(training, workspaceMgr);
        if (relu) {
            Nd4j.exec(new RectifiedLinear(sum, sum, 0.0));
        }
        return sum;
    }

    /** The add's backward pass on {@code dL/d(sum) = step(sum) * dL/d(out)} when a ReLU follows the sum. */
    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (relu) {
            INDArray sum = workspaceMgr.dup(ArrayType.BP_WORKING_MEM, inputs[0].castTo(dataType), 'c');
            for (int i = 1; i < inputs.length; i++) {
                sum.addi(inputs[i].castTo(dataType));
            }
            INDArray masked = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, sum.shape(), 'c');
            Nd4j.exec(new RectifiedLinearDerivative(sum, epsilon.castTo(dataType), masked));
            setEpsilon(masked);
        }
        return super.doBackward(tbptt, workspaceMgr);
    }

    /** @return the sum (and ReLU) by a Java loop, or null if the inputs are not small float32 host arrays */
    private INDArray javaSum(LayerWorkspaceMgr workspaceMgr) {
        INDArray first = inputs[0];
        if (dataType != DataType.FLOAT || first.length() >= BatchNormInference.SEQUENTIAL_ELEMENTS) {
            return null;
        }
        for (INDArray in : inputs) {
            if (!ChannelKernels.applicable(in) || !Arrays.equals(in.shape(), first.shape())) {
                return null;
            }
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, first.shape(), 'c');
        if (!ChannelKernels.applicable(out)) {
            return null;
        }
        int length = (int) first.length();
        float[] sum = InferenceScratch.floats(0, length);
        float[] term = InferenceScratch.floats(1, length);
        ChannelKernels.floats(first).get(0, sum, 0, length);
        for (int i = 1; i < inputs.length; i++) {
            ChannelKernels.floats(inputs[i]).get(0, term, 0, length);
            if (relu && i == inputs.length - 1) {
                for (int j = 0; j < length; j++) {
                    sum[j] = Math.max(sum[j] + term[j], 0.0f);
                }
            } else {
                for (int j = 0; j < length; j++) {
                    sum[j] += term[j];
                }
            }
        }
        if (relu && inputs.length == 1) {
            for (int j = 0; j < length; j++) {
                sum[j] = Math.max(sum[j], 0.0f);
            }
        }
        ChannelKernels.floats(out).put(0, sum, 0, length);
        return out;
    }

    @Override
    public String toString() {
        return "FastAddVertexImpl(id=" + getVertexIndex() + ",name=\"" + getVertexName() + "\",relu=" + relu + ")";
    }
}
