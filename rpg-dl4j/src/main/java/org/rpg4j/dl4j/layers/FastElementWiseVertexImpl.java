package org.rpg4j.dl4j.layers;

import java.util.ArrayDeque;
import java.util.Arrays;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.graph.vertex.impl.ElementWiseVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runtime vertex of {@link FastElementWiseVertex}: for {@code Add} of two inputs of the same
 * shape and the network's data type, forward is one {@code add} op into the output
 * ({@link ArrayType#ACTIVATIONS}), and backward copies the output gradient once into
 * {@link ArrayType#ACTIVATION_GRAD} and returns that one array for both inputs when sharing it is
 * safe (below), otherwise once per input as DL4J does. Anything else runs DL4J's
 * {@code ElementWiseVertex}.
 *
 * <p>Why one copy can serve both inputs, and when: {@code ComputationGraph} hands the returned
 * gradient of an input to that input as its epsilon, or adds it in place into the epsilon the input
 * already has when the input feeds several vertices; an epsilon set first is later the target of
 * in-place additions from the input's other consumers. Two inputs holding the same array are
 * therefore safe if (1) neither input's layer writes into its epsilon (the fast batch norm, the
 * plain-ReLU fast activation, the fast convolution without activation, this vertex) and (2) no
 * in-place addition reaches the shared array before both inputs have read it: one input feeds only
 * this vertex, and every other consumer of the other input is an ancestor of the first, so it runs
 * its backward pass after the first input has run its own. A ResNet block's add, of the second
 * batch norm and the block input (which also feeds the block's first convolution, an ancestor of
 * that batch norm) or of two batch norms, is such a case. The shared array lives in this vertex's
 * gradient workspace, which DL4J keeps open until both inputs have consumed it, as for DL4J's copies.
 */
// "overrides": DL4J's BaseGraphVertex declares setInputs(INDArray[]) for GraphVertex's setInputs(INDArray...)
@SuppressWarnings("overrides")
public class FastElementWiseVertexImpl extends ElementWiseVertex {

    private static final long serialVersionUID = 1L;
    /** Parallel ranges of the fused add + ReLU loop: enough for the common pool's threads to balance. */
    private static final int ADD_RELU_BLOCKS = 16;

    private final Op op;
    private final boolean rectifyOutput;
    private boolean fastForward;
    private Boolean shareGradient;

    /**
     * @param graph the network
     * @param name the vertex name
     * @param vertexIndex the vertex index in the network
     * @param op the element-wise operation
     * @param dataType the network's data type
     */
    public FastElementWiseVertexImpl(ComputationGraph graph, String name, int vertexIndex, Op op, DataType dataType) {
        this(graph, name, vertexIndex, op, dataType, false);
    }

    /**
     * @param graph the network
     * @param name the vertex name
     * @param vertexIndex the vertex index in the network
     * @param op the element-wise operation
     * @param dataType the network's data type
     * @param rectifyOutput true: training forward passes write {@code max(result, 0)} for the plain ReLU that is this
     *     vertex's only reader ({@link FastElementWiseVertex#isRectifyOutput})
     */
    public FastElementWiseVertexImpl(ComputationGraph graph, String name, int vertexIndex, Op op, DataType dataType,
                                     boolean rectifyOutput) {
        super(graph, name, vertexIndex, op, dataType);
        this.op = op;
        this.rectifyOutput = rectifyOutput;
    }

    /**
     * @return the sum of the two inputs (one pass) for {@code Add} of two same-shape inputs of the
     *     network's data type; DL4J's result otherwise; in training, rectified when the configuration says
     *     {@code rectifyOutput} (one pass with the sum for float32 host arrays)
     */
    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        fastForward = canDoForward() && isPlainAddOfTwo();
        boolean rectify = ReluFusion.applies(rectifyOutput, training);
        if (!fastForward) {
            INDArray result = super.doForward(training, workspaceMgr);
            if (!rectify) {
                return result;
            }
            // DL4J's result may be an input itself: rectify into an array of our own
            INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, result.dataType(), result.shape(),
                    'c');
            Nd4j.exec(new RectifiedLinear(result, out, 0.0));
            return out;
        }
        INDArray sum = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, inputs[0].shape(), 'c');
        if (rectify && ChannelKernels.applicable(inputs[0], inputs[1], sum)) {
            // the ReLU after this vertex returns this output as its own (ReluFusion): one pass for both
            ChannelKernels.addRelu(ChannelKernels.floats(inputs[0]), ChannelKernels.floats(inputs[1]),
                    ChannelKernels.floats(sum), (int) sum.length(), ADD_RELU_BLOCKS);
        } else {
            Nd4j.exec(new AddOp(inputs[0], inputs[1], sum));
            if (rectify) {
                ReluFusion.rectifyInPlace(sum);
            }
        }
        return sum;
    }

    /**
     * @return no gradient (no parameters), and dL/d(input) = epsilon for both inputs: one copy
     *     returned twice when {@link #sharesGradient()}, two copies otherwise; DL4J's result when
     *     the forward pass was not the fast one
     */
    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (!fastForward) {
            return super.doBackward(tbptt, workspaceMgr);
        }
        if (!canDoBackward()) {
            throw new IllegalStateException("Cannot do backward pass of vertex " + vertexName + ": errors not set");
        }
        INDArray first = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsilon);
        INDArray second = sharesGradient() ? first : workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsilon);
        return new Pair<>(null, new INDArray[] {first, second});
    }

    /**
     * @return true if the backward pass gives both inputs the same gradient array (conditions in the
     *     class comment); decided once, from the graph's structure
     */
    boolean sharesGradient() {
        if (shareGradient == null) {
            shareGradient = decideSharing();
        }
        return shareGradient;
    }

    private boolean isPlainAddOfTwo() {
        if (op != Op.Add || inputs.length != 2) {
            return false;
        }
        INDArray a = inputs[0];
        INDArray b = inputs[1];
        return a.dataType() == dataType && b.dataType() == dataType && Arrays.equals(a.shape(), b.shape());
    }

    private boolean decideSharing() {
        VertexIndices[] in = getInputVertices();
        if (in == null || in.length != 2 || in[0].getVertexIndex() == in[1].getVertexIndex()) {
            return false;
        }
        GraphVertex[] vertices = graph.getVertices();
        GraphVertex a = vertices[in[0].getVertexIndex()];
        GraphVertex b = vertices[in[1].getVertexIndex()];
        if (!keepsEpsilon(a) || !keepsEpsilon(b)) {
            return false;
        }
        return feedsOnlyThisAndOthersAreAncestors(vertices, a, b) || feedsOnlyThisAndOthersAreAncestors(vertices, b, a);
    }

    /** True if {@code only} feeds this vertex alone and every other consumer of {@code other} is an ancestor of it. */
    private boolean feedsOnlyThisAndOthersAreAncestors(GraphVertex[] vertices, GraphVertex only, GraphVertex other) {
        VertexIndices[] onlyOut = only.getOutputVertices();
        if (only.isOutputVertex() || other.isOutputVertex() || onlyOut == null || onlyOut.length != 1
                || onlyOut[0].getVertexIndex() != vertexIndex) {
            return false;
        }
        for (VertexIndices consumer : other.getOutputVertices()) {
            int c = consumer.getVertexIndex();
            if (c != vertexIndex && !isAncestor(vertices, c, only.getVertexIndex())) {
                return false;
            }
        }
        return true;
    }

    /** True if a path of forward edges leads from vertex {@code ancestor} to vertex {@code of}. */
    private static boolean isAncestor(GraphVertex[] vertices, int ancestor, int of) {
        boolean[] seen = new boolean[vertices.length];
        ArrayDeque<Integer> stack = new ArrayDeque<>();
        stack.push(of);
        while (!stack.isEmpty()) {
            VertexIndices[] inputs = vertices[stack.pop()].getInputVertices();
            if (inputs == null) {
                continue;
            }
            for (VertexIndices input : inputs) {
                int i = input.getVertexIndex();
                if (i == ancestor) {
                    return true;
                }
                if (!seen[i]) {
                    seen[i] = true;
                    stack.push(i);
                }
            }
        }
        return false;
    }

    /** True for the vertices whose backward pass only reads its epsilon. */
    private static boolean keepsEpsilon(GraphVertex v) {
        if (v instanceof FastElementWiseVertexImpl) {
            return true;
        }
        if (!v.hasLayer()) {
            return false;
        }
        Layer layer = v.getLayer();
        return layer instanceof FastBatchNormalizationImpl
                || layer instanceof FastActivationLayerImpl relu && relu.isPlainRelu()
                || layer instanceof FastConvolutionLayerImpl conv
                        && conv.layerConf().getActivationFn() instanceof ActivationIdentity;
    }
}
