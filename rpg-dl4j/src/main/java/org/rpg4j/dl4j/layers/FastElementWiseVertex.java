package org.rpg4j.dl4j.layers;

import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Configuration of an element-wise vertex whose {@link ElementWiseVertex.Op#Add Add} of same-shape
 * inputs makes fewer passes over memory than DL4J's, a drop-in replacement for DL4J's
 * {@link ElementWiseVertex} (a subclass; no parameters).
 *
 * <p>DL4J's vertex forms a sum by copying the first input and adding the others in place (two
 * passes for two inputs) and, in backprop, copies the output gradient once per input. This one
 * writes the sum of two inputs in one pass and, where the graph allows it, gives both inputs the
 * same copy of the output gradient (see {@link FastElementWiseVertexImpl}). Every other op,
 * broadcast or more than two inputs runs DL4J's code.
 *
 * <pre>{@code
 * graphBuilder.addVertex("add", new FastElementWiseVertex(ElementWiseVertex.Op.Add), "branch", "shortcut");
 * }</pre>
 */
public class FastElementWiseVertex extends ElementWiseVertex {

    private static final long serialVersionUID = 1L;

    private boolean rectifyOutput;

    /** @param op the element-wise operation; only {@code Add} takes the fast path */
    public FastElementWiseVertex(@JsonProperty("op") Op op) {
        super(op);
    }

    /**
     * @param standard an exact {@code ElementWiseVertex}; not modified
     * @return a new fast configuration with the same op
     * @throws IllegalArgumentException if {@code standard} is a subclass
     */
    public static FastElementWiseVertex from(ElementWiseVertex standard) {
        if (standard.getClass() != ElementWiseVertex.class) {
            throw new IllegalArgumentException("standard must be exactly an ElementWiseVertex, got "
                    + standard.getClass().getName());
        }
        return new FastElementWiseVertex(standard.getOp());
    }

    @Override
    public FastElementWiseVertex clone() {
        FastElementWiseVertex copy = new FastElementWiseVertex(op);
        copy.rectifyOutput = rectifyOutput;
        return copy;
    }

    /**
     * @return true if a training forward pass writes {@code max(sum, 0)}: set by {@code FastLayers.withFastLayers}
     *     when the only reader of this {@code Add} is a plain ReLU {@link FastActivationLayer}, which then skips its
     *     pass
     */
    public boolean isRectifyOutput() {
        return rectifyOutput;
    }

    /**
     * @param rectifyOutput true: training forward passes write {@code max(sum, 0)}; only for a vertex whose one
     *     reader is a plain ReLU {@link FastActivationLayer} marked {@link FastActivationLayer#setInputRectified}
     */
    public void setRectifyOutput(boolean rectifyOutput) {
        this.rectifyOutput = rectifyOutput;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType networkDatatype) {
        return new FastElementWiseVertexImpl(graph, name, idx,
                org.deeplearning4j.nn.graph.vertex.impl.ElementWiseVertex.Op.valueOf(op.name()), networkDatatype,
                rectifyOutput);
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && super.equals(o)
                && ((FastElementWiseVertex) o).rectifyOutput == rectifyOutput;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * super.hashCode() + getClass().getName().hashCode()) + Boolean.hashCode(rectifyOutput);
    }

    @Override
    public String toString() {
        return "FastElementWiseVertex(op=" + op + (rectifyOutput ? ", rectifyOutput" : "") + ")";
    }
}
