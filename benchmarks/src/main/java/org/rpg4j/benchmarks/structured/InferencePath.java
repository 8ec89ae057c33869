package org.rpg4j.benchmarks.structured;

import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.dl4j.deploy.runner.ImageSplitRunner;
import org.rpg4j.dl4j.deploy.runner.InterleavedRunner;
import org.rpg4j.dl4j.deploy.runner.KernelPolicy;
import org.rpg4j.dl4j.deploy.runner.RunnerOptions;
import org.rpg4j.dl4j.deploy.runner.SparseRunner;
import org.rpg4j.dl4j.shrink.InferenceFolding;

/** How a (dense or shrunk) network is run for inference in the structured benchmarks. */
public enum InferencePath {
    /**
     * DL4J's {@code outputSingle(false, x)} on the network as it is (fast layers; each convolution chooses,
     * per input shape, libnd4j's conv2d op or rpg4j's Java kernel by timing both at its first calls: the opt-in
     * system property rpg4j.convolutionInference=measured, set around each call).
     */
    AS_IS,
    /** The same call on {@link InferenceFolding#fold}'s network: batch norm folded, activations fused. */
    FOLDED,
    /** {@link #AS_IS} with every convolution on libnd4j's conv2d op (rpg4j.convolutionInference=native: the default). */
    AS_IS_OP,
    /** {@link #FOLDED} with every convolution on libnd4j's conv2d op. */
    FOLDED_OP,
    /**
     * {@link #FOLDED} with every convolution the Java kernel can compute on it (rpg4j.convolutionInference=java):
     * the kernel's effect on the network without the timed choice.
     */
    FOLDED_JAVA,
    /**
     * {@link #AS_IS} with the fast convolutions' inference calls on oneDNN's training primitive and a separate
     * activation op (rpg4j.convolution.inferencePrimitive=training): the layers' inference path before session 12.
     */
    AS_IS_UNFUSED,
    /** {@link #FOLDED} with the fast convolutions' inference calls as in {@link #AS_IS_UNFUSED}. */
    FOLDED_UNFUSED,
    /**
     * The sparse engine of {@code docs/deployment.md} with dense kernels only ({@link KernelPolicy#DENSE}):
     * batch norm folded, ReLU fused, residual adds in Java.
     */
    RUNNER_DENSE,
    /**
     * The same engine choosing per layer, by timing both at the first call with a batch size
     * ({@link KernelPolicy#MEASURED}), between oneDNN and its Java kernels (dense weights run as a
     * sparse kernel at density 1: no per-call native set-up). Needs {@code --add-modules jdk.incubator.vector}
     * for the fast Java kernels.
     */
    RUNNER_MEASURED,
    /**
     * {@link #RUNNER_MEASURED} through {@link ImageSplitRunner}: one runner per available processor, each running the
     * whole network on blocks of {@link #SPLIT_BLOCK} images (system property {@code rpg4j.splitBlock}, default 4;
     * {@code measured}: chosen by {@link ImageSplitRunner#calibrate}) taken in turn from the batch, every step on its
     * thread; a batch of at most that many images is one call of the first runner, as {@link #RUNNER_MEASURED}.
     */
    RUNNER_SPLIT,
    /**
     * {@link InterleavedRunner} with one thread per available processor: the network up to its global average
     * pooling in the batch-interleaved layout (16 images per vector, dense Java kernels, each thread on its own
     * 16-image groups), the output layer as the runner runs it. Needs {@code --add-modules jdk.incubator.vector} and
     * AVX-512 for the fast kernel.
     */
    RUNNER_INTERLEAVED;

    /**
     * Images per runner call of {@link #RUNNER_SPLIT} (system property {@code rpg4j.splitBlock}, default 4; {@code
     * measured}: chosen by {@link ImageSplitRunner#calibrate}, which picked blocks of 16 for the 70 % ResNet-56 at
     * batch 64 in one JMH run that then took 39 ms per call against 8.5 ms at blocks of 4, session 14, under load).
     */
    public static final String SPLIT_BLOCK = "rpg4j.splitBlock";

    /**
     * @param net an initialised graph with one input and one output; not modified
     * @return a function computing its output for one input batch, along this path
     */
    public UnaryOperator<INDArray> prepare(ComputationGraph net) {
        return switch (this) {
            case AS_IS -> x -> withChoice("measured", () -> net.outputSingle(false, x));
            case FOLDED -> {
                ComputationGraph folded = InferenceFolding.fold(net).network();
                yield x -> withChoice("measured", () -> folded.outputSingle(false, x));
            }
            case AS_IS_OP -> x -> withChoice("native", () -> net.outputSingle(false, x));
            case FOLDED_OP -> {
                ComputationGraph folded = InferenceFolding.fold(net).network();
                yield x -> withChoice("native", () -> folded.outputSingle(false, x));
            }
            case FOLDED_JAVA -> {
                ComputationGraph folded = InferenceFolding.fold(net).network();
                yield x -> withChoice("java", () -> folded.outputSingle(false, x));
            }
            case AS_IS_UNFUSED -> x -> unfused(() -> withChoice("measured", () -> net.outputSingle(false, x)));
            case FOLDED_UNFUSED -> {
                ComputationGraph folded = InferenceFolding.fold(net).network();
                yield x -> unfused(() -> withChoice("measured", () -> folded.outputSingle(false, x)));
            }
            case RUNNER_DENSE, RUNNER_MEASURED -> {
                SparseRunner runner = runner(net);
                yield x -> runner.output(x)[0];
            }
            case RUNNER_SPLIT -> {
                ImageSplitRunner runner = split(net);
                yield x -> runner.output(x)[0];
            }
            case RUNNER_INTERLEAVED -> {
                InterleavedRunner runner = InterleavedRunner.compile(net, Runtime.getRuntime().availableProcessors());
                yield runner::output;
            }
        };
    }

    /**
     * @param net an initialised graph with one input and one output; not modified
     * @return the compiled split runner of {@link #RUNNER_SPLIT}: one runner per available processor, blocks of
     *     {@link #SPLIT_BLOCK} images (default 4; {@code measured}: chosen per batch size by {@link
     *     ImageSplitRunner#calibrate}); null for the other paths
     */
    public ImageSplitRunner split(ComputationGraph net) {
        if (this != RUNNER_SPLIT) {
            return null;
        }
        int threads = Runtime.getRuntime().availableProcessors();
        String block = System.getProperty(SPLIT_BLOCK, "4");
        return "measured".equals(block) ? ImageSplitRunner.compile(net, RunnerOptions.defaults(), threads)
                : ImageSplitRunner.compile(net, RunnerOptions.defaults(), threads, Integer.parseInt(block));
    }

    /**
     * @param net an initialised graph with one input and one output; not modified
     * @return the compiled runner of {@link #RUNNER_DENSE} or {@link #RUNNER_MEASURED}, null for the other paths
     */
    public SparseRunner runner(ComputationGraph net) {
        return switch (this) {
            case RUNNER_DENSE -> SparseRunner.compile(net, RunnerOptions.defaults().withPolicy(KernelPolicy.DENSE));
            case RUNNER_MEASURED -> SparseRunner.compile(net, RunnerOptions.defaults());
            default -> null;
        };
    }

    private static final String CHOICE_PROPERTY = "rpg4j.convolutionInference";
    private static final String PRIMITIVE_PROPERTY = "rpg4j.convolution.inferencePrimitive";

    private static INDArray unfused(Supplier<INDArray> call) {
        System.setProperty(PRIMITIVE_PROPERTY, "training");
        try {
            return call.get();
        } finally {
            System.clearProperty(PRIMITIVE_PROPERTY);
        }
    }

    private static INDArray withChoice(String choice, Supplier<INDArray> call) {
        System.setProperty(CHOICE_PROPERTY, choice);
        try {
            return call.get();
        } finally {
            System.clearProperty(CHOICE_PROPERTY);
        }
    }
}
