package org.rpg4j.dl4j.deploy.runner;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.sparse.kernel.InterleavedLayout;
import org.rpg4j.sparse.kernel.KernelThreading;

/**
 * Runs a plain CNN graph at batch &ge; 16 in the batch-interleaved layout ({@link InterleavedLayout}: one pixel of 16
 * images per AVX-512 vector) with {@link org.rpg4j.sparse.kernel.InterleavedConvolution}: convolutions (batch norm
 * folded, ReLU and a residual add fused, as {@link GraphCompiler} compiles them), add vertices, then one global average
 * pooling to {@code [batch, channels]}; the steps after the pooling (dense and output layers) run as
 * {@link SparseRunner} runs them, on the whole batch. Each thread takes groups of 16 images from a shared counter and
 * runs every step up to the pooling on its group (its activations stay in its own cache, as in
 * {@link ImageSplitRunner}); only the network input is interleaved and only the pooled features come back. The dense
 * kernels compute every weight (meant for channel-shrunk networks, not sparse ones). The fast kernel needs the JVM
 * flag {@code --add-modules jdk.incubator.vector} and AVX-512 (16-float vectors); otherwise the scalar loops compute
 * the same outputs many times slower ({@link org.rpg4j.sparse.kernel.KernelInstructions}). Any other layer is refused
 * by name at compile time. Not thread-safe.
 */
public final class InterleavedRunner {

    private final ComputationGraph graph;
    private final Plan plan;
    private final int threads;
    /** Nodes run per group: the convolutions and adds, then the pooling (the last of them). */
    private final int groupNodes;
    private final Map<Long, InterleavedProgram> programs = new HashMap<>();

    private InterleavedRunner(ComputationGraph graph, Plan plan, int threads, int groupNodes) {
        this.graph = graph;
        this.plan = plan;
        this.threads = threads;
        this.groupNodes = groupNodes;
    }

    /**
     * @param graph an initialised graph with one NCHW input and one output: convolutions (batch norm, ReLU layers and
     *     residual adds after them), add vertices, one global average pooling, then dense or output layers; not
     *     modified
     * @param threads threads taking groups of 16 images (the caller and {@code threads - 1} tasks of the common
     *     pool), &ge; 1
     * @return the runner
     * @throws IllegalArgumentException if the graph is null, has another layer or vertex (named), or more than one
     *     input or output, or threads is below 1
     */
    public static InterleavedRunner compile(ComputationGraph graph, int threads) {
        if (graph == null) {
            throw new IllegalArgumentException("graph must not be null");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        Plan plan = GraphCompiler.compile(graph, RunnerOptions.defaults().withThreading(KernelThreading.CALLER_ONLY)
                .withCoverage(StepCoverage.KERNELS_AND_POOLING));
        if (plan.inputSlots().length != 1 || plan.outputSlots().length != 1) {
            throw new IllegalArgumentException("graph must have one input and one output, got "
                    + plan.inputSlots().length + " and " + plan.outputSlots().length);
        }
        plan.connect(new ArrayPool());
        return new InterleavedRunner(graph, plan, threads, checkedSteps(graph, plan));
    }

    /** @return the number of nodes up to and including the pooling; refuses any other step by its layer's name */
    private static int checkedSteps(ComputationGraph graph, Plan plan) {
        List<Plan.Node> nodes = plan.nodes();
        int n = 0;
        for (; n < nodes.size(); n++) {
            Step step = nodes.get(n).step();
            if (step instanceof GlobalPoolingStep pooling && pooling.averagesToRows()) {
                break;
            }
            boolean plainConvolution = step instanceof ConvolutionStep c && !c.spec().dilated();
            if (!plainConvolution && !(step instanceof AddStep)) {
                throw refused(graph, nodes.get(n), "before the global average pooling only convolutions and adds");
            }
        }
        if (n == nodes.size()) {
            throw new IllegalArgumentException("graph must have a global average pooling layer (collapsing to "
                    + "[batch, channels]); InterleavedRunner found none");
        }
        for (int t = n + 1; t < nodes.size(); t++) {
            if (!(nodes.get(t).step() instanceof DenseStep)) {
                throw refused(graph, nodes.get(t), "after the global average pooling only dense and output layers");
            }
        }
        return n + 1;
    }

    private static IllegalArgumentException refused(ComputationGraph graph, Plan.Node node, String allowed) {
        String vertex = graph.getVertices()[node.output()].getVertexName();
        return new IllegalArgumentException("InterleavedRunner runs " + allowed + "; vertex '" + vertex + "' compiled "
                + "to " + node.step().getClass().getSimpleName() + ": run this graph with SparseRunner");
    }

    /**
     * Runs inference.
     *
     * @param input {@code [batch, channels, height, width]}, batch &ge; 1; not modified
     * @return the network output, a new array
     * @throws IllegalArgumentException if the input is null or not rank 4
     */
    public INDArray output(INDArray input) {
        if (input == null || input.rank() != 4) {
            throw new IllegalArgumentException("input must be [batch, channels, height, width], got "
                    + (input == null ? "null" : java.util.Arrays.toString(input.shape())));
        }
        int batch = (int) input.size(0);
        InterleavedProgram program = programs.computeIfAbsent(input.size(2) << 32 | input.size(3),
                key -> InterleavedProgram.of(plan, groupNodes, (int) input.size(1), (int) input.size(2),
                        (int) input.size(3), threads));
        float[] images = Tensor.toFloats(input);
        float[] pooled = new float[batch * program.features()];
        runGroups(program, images, batch, pooled);
        return tail(Tensor.of(pooled, batch, program.features()));
    }

    /**
     * The groups taken from a shared counter by the caller and {@code threads - 1} tasks of the common pool
     * ({@link ParallelParts}).
     */
    private void runGroups(InterleavedProgram program, float[] images, int batch, float[] pooled) {
        int groups = InterleavedLayout.groups(batch);
        AtomicInteger next = new AtomicInteger();
        ParallelParts.run(Math.min(threads, groups), part -> {
            for (int g = next.getAndIncrement(); g < groups; g = next.getAndIncrement()) {
                program.runGroup(part, images, g, batch, pooled);
            }
        });
    }

    /** Runs the steps after the pooling on the whole batch and returns the network output. */
    private INDArray tail(Tensor pooled) {
        List<Plan.Node> nodes = plan.nodes();
        Map<Integer, Tensor> values = new HashMap<>();
        values.put(nodes.get(groupNodes - 1).output(), pooled);
        for (int n = groupNodes; n < nodes.size(); n++) {
            Plan.Node node = nodes.get(n);
            Tensor[] inputs = new Tensor[node.inputs().length];
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = values.get(node.inputs()[i]);
            }
            values.put(node.output(), node.step().run(inputs));
        }
        return values.get(plan.outputSlots()[0]).array();
    }
}
