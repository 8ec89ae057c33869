package org.rpg4j.dl4j.deploy.runner;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.rpg4j.sparse.kernel.FusedActivation;

/**
 * Compiles a ComputationGraph: one slot per vertex, vertices in DL4J's topological order. A
 * convolution vertex absorbs the batch-norm vertex after it (and the ReLU activation vertex after
 * that) when each is the only consumer of the one before and none is a network output. Without such a
 * ReLU, a two-input add vertex that is the only consumer (a ResNet block's join) is absorbed too, with
 * the ReLU after it, when its other input comes earlier in the order: the convolution adds it as it
 * stores its output.
 */
final class GraphCompiler {

    private final ComputationGraph graph;
    private final RunnerOptions options;
    private final Set<String> outputs;
    private final Set<Integer> absorbed = new HashSet<>();
    /** Position of each vertex index in the topological order. */
    private final int[] position;

    private GraphCompiler(ComputationGraph graph, RunnerOptions options) {
        this.graph = graph;
        this.options = options;
        this.outputs = new HashSet<>(graph.getConfiguration().getNetworkOutputs());
        int[] order = graph.topologicalSortOrder();
        this.position = new int[graph.getVertices().length];
        for (int p = 0; p < order.length; p++) {
            position[order[p]] = p;
        }
    }

    /** @return the plan of {@code graph} */
    static Plan compile(ComputationGraph graph, RunnerOptions options) {
        return new GraphCompiler(graph, options).plan();
    }

    private Plan plan() {
        GraphVertex[] vertices = graph.getVertices();
        List<Plan.Node> nodes = new ArrayList<>();
        for (int index : graph.topologicalSortOrder()) {
            GraphVertex vertex = vertices[index];
            if (vertex.isInputVertex() || absorbed.contains(index)) {
                continue;
            }
            nodes.add(node(vertex));
        }
        List<String> inputNames = graph.getConfiguration().getNetworkInputs();
        List<String> outputNames = graph.getConfiguration().getNetworkOutputs();
        int[] inputSlots = inputNames.stream().mapToInt(n -> graph.getVertex(n).getVertexIndex()).toArray();
        int[] outputSlots = outputNames.stream().mapToInt(n -> graph.getVertex(n).getVertexIndex()).toArray();
        return new Plan(vertices.length, inputSlots, outputSlots, List.copyOf(nodes));
    }

    private Plan.Node node(GraphVertex vertex) {
        int[] inputs = inputSlots(vertex);
        if (isPlainLayer(vertex) && StepFactory.isConvolution(vertex.getLayer().conf().getLayer())) {
            GraphVertex last = vertex;
            Optional<org.deeplearning4j.nn.api.Layer> batchNorm = Optional.empty();
            boolean relu = false;
            GraphVertex next = soleConsumer(vertex);
            if (next != null && StepFactory.acceptsFold(vertex.getLayer().conf().getLayer())
                    && StepFactory.isFoldableBatchNorm(next.getLayer().conf().getLayer())) {
                batchNorm = Optional.of(next.getLayer());
                last = absorb(next);
                next = soleConsumer(next);
            }
            if (next != null && StepFactory.acceptsFold(vertex.getLayer().conf().getLayer())
                    && StepFactory.isRelu(next.getLayer().conf().getLayer())) {
                relu = true;
                last = absorb(next);
            }
            GraphVertex join = relu || !StepFactory.acceptsFold(vertex.getLayer().conf().getLayer()) ? null
                    : residualJoin(vertex, last);
            if (join != null) {
                int shortcut = otherInput(join, last);
                last = absorb(join);
                GraphVertex after = soleConsumer(join);
                relu = after != null && StepFactory.isRelu(after.getLayer().conf().getLayer());
                if (relu) {
                    last = absorb(after);
                }
                return new Plan.Node(StepFactory.convolution(vertex.getLayer(), batchNorm, true, relu, options),
                        new int[] {inputs[0], shortcut}, last.getVertexIndex());
            }
            return new Plan.Node(StepFactory.convolution(vertex.getLayer(), batchNorm, relu, options), inputs,
                    last.getVertexIndex());
        }
        if (isAdd(vertex)) {
            GraphVertex next = soleConsumer(vertex);
            boolean relu = next != null && StepFactory.isRelu(next.getLayer().conf().getLayer());
            GraphVertex last = relu ? absorb(next) : vertex;
            return new Plan.Node(new AddStep(vertex.getVertexName(), relu ? FusedActivation.RELU
                    : FusedActivation.IDENTITY, options.threading()), inputs, last.getVertexIndex());
        }
        if (vertex instanceof LayerVertex layerVertex && StepFactory.isDense(vertex.getLayer().conf().getLayer())) {
            return new Plan.Node(StepFactory.dense(vertex.getLayer(), layerVertex.getLayerPreProcessor(), options),
                    inputs, vertex.getVertexIndex());
        }
        Optional<Step> pooling = isPlainLayer(vertex) ? StepFactory.pooling(vertex.getLayer(), options)
                : Optional.empty();
        return new Plan.Node(pooling.orElseGet(() -> FallbackStep.of(vertex)), inputs, vertex.getVertexIndex());
    }

    /**
     * @return the add vertex that is the only consumer of {@code last} (the end of a convolution's chain),
     *     when it has two inputs and the other one is computed before {@code convolution}; otherwise null
     */
    private GraphVertex residualJoin(GraphVertex convolution, GraphVertex last) {
        VertexIndices[] consumers = last.getOutputVertices();
        if (outputs.contains(last.getVertexName()) || consumers == null || consumers.length != 1) {
            return null;
        }
        GraphVertex join = graph.getVertices()[consumers[0].getVertexIndex()];
        if (!isAdd(join) || join.getInputVertices().length != 2 || absorbed.contains(join.getVertexIndex())) {
            return null;
        }
        int other = otherInput(join, last);
        return other >= 0 && position[other] < position[convolution.getVertexIndex()] ? join : null;
    }

    /** @return the index of the join's input that is not {@code last}, or -1 if both are */
    private static int otherInput(GraphVertex join, GraphVertex last) {
        VertexIndices[] in = join.getInputVertices();
        int first = in[0].getVertexIndex();
        int second = in[1].getVertexIndex();
        if (first == last.getVertexIndex()) {
            return second == last.getVertexIndex() ? -1 : second;
        }
        return second == last.getVertexIndex() ? first : -1;
    }

    private boolean isAdd(GraphVertex vertex) {
        return graph.getConfiguration().getVertices().get(vertex
                .getVertexName()) instanceof org.deeplearning4j.nn.conf.graph.ElementWiseVertex e
                && e.getOp() == org.deeplearning4j.nn.conf.graph.ElementWiseVertex.Op.Add;
    }

    private GraphVertex absorb(GraphVertex vertex) {
        absorbed.add(vertex.getVertexIndex());
        return vertex;
    }

    /**
     * @return the only vertex reading {@code vertex}, if it is a plain layer vertex (no preprocessor)
     *     and {@code vertex} is not a network output; otherwise null
     */
    private GraphVertex soleConsumer(GraphVertex vertex) {
        VertexIndices[] consumers = vertex.getOutputVertices();
        if (outputs.contains(vertex.getVertexName()) || consumers == null || consumers.length != 1) {
            return null;
        }
        GraphVertex next = graph.getVertices()[consumers[0].getVertexIndex()];
        return isPlainLayer(next) && next.getInputVertices().length == 1 ? next : null;
    }

    private static boolean isPlainLayer(GraphVertex vertex) {
        return vertex instanceof LayerVertex layerVertex && layerVertex.getLayerPreProcessor() == null;
    }

    private static int[] inputSlots(GraphVertex vertex) {
        VertexIndices[] in = vertex.getInputVertices();
        int[] slots = new int[in.length];
        for (int i = 0; i < in.length; i++) {
            slots[i] = in[i].getVertexIndex();
        }
        return slots;
    }
}
