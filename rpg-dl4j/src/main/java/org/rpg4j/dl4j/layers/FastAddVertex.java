package org.rpg4j.dl4j.layers;

import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A residual join for inference: the element-wise sum of its inputs (like DL4J's
 * {@code ElementWiseVertex(Op.Add)}), optionally followed by a ReLU, in one vertex. {@code InferenceFolding}
 * puts it in place of an add whose only reader is a ReLU layer: a small call (a shrunk network at batch 1)
 * then costs one Java loop instead of DL4J's copy, add and ReLU ops, each of which costs 10-30 us
 * whatever the size (docs/structured.md). Larger calls run the same ops as DL4J. Training through it
 * works (the ReLU's mask is applied to the gradient), but it is meant for inference.
 *
 * <p>The inputs must all have one shape (no broadcasting). It has no parameters and serialises through
 * {@code ComputationGraphConfiguration.toJson()} like any DL4J vertex.
 */
public class FastAddVertex extends GraphVertex {

    private static final long serialVersionUID = 1L;

    private boolean relu;

    /** An add without ReLU (the form JSON deserialisation starts from). */
    public FastAddVertex() {
        this(false);
    }

    /**
     * @param relu true: {@code max(sum, 0)}; false: the sum
     */
    public FastAddVertex(boolean relu) {
        this.relu = relu;
    }

    /**
     * @param activation an activation function
     * @return true if it is the plain ReLU this vertex can fuse ({@code max(x, 0)}: no maximum, threshold or
     *     negative slope)
     */
    public static boolean isPlainRelu(IActivation activation) {
        return FastActivationLayerImpl.isPlainRelu(activation);
    }

    /** @return true if a ReLU follows the sum */
    public boolean isRelu() {
        return relu;
    }

    /** @param relu true: {@code max(sum, 0)}; false: the sum */
    public void setRelu(boolean relu) {
        this.relu = relu;
    }

    @Override
    public FastAddVertex clone() {
        return new FastAddVertex(relu);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FastAddVertex other && other.relu == relu;
    }

    @Override
    public int hashCode() {
        return FastAddVertex.class.getName().hashCode() * 31 + Boolean.hashCode(relu);
    }

    @Override
    public long numParams(boolean backprop) {
        return 0;
    }

    @Override
    public int minVertexInputs() {
        return 2;
    }

    @Override
    public int maxVertexInputs() {
        return Integer.MAX_VALUE;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType networkDatatype) {
        return new FastAddVertexImpl(graph, name, idx, relu, networkDatatype);
    }

    /** @return the inputs' type, checked as DL4J's add vertex checks it */
    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) throws InvalidInputTypeException {
        return new ElementWiseVertex(ElementWiseVertex.Op.Add).getOutputType(layerIndex, vertexInputs);
    }

    /** @return DL4J's add vertex's report */
    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        return new ElementWiseVertex(ElementWiseVertex.Op.Add).getMemoryReport(inputTypes);
    }

    @Override
    public String toString() {
        return "FastAddVertex(relu=" + relu + ")";
    }
}
