package org.rpg4j.benchmarks.structured;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.rpg4j.dl4j.deploy.runner.CalibrationReport;
import org.rpg4j.dl4j.deploy.runner.ImageSplitRunner;
import org.rpg4j.dl4j.deploy.runner.SparseRunner;
import org.rpg4j.dl4j.structured.StructuredReport;
import org.rpg4j.dl4j.structured.StructuredResult;

/**
 * DL4J inference time of CIFAR ResNet-56 and VGG-19 (fast layers, float32, 32x32 inputs) before and
 * after removing a fraction of every prunable channel group by L1 filter norm
 * ({@code StructuredPruning.prune}). Images per second = batch / time per operation. The setup
 * prints each variant's parameters and multiply-adds per image, so the speed-up can be set beside the
 * MAC reduction; {@code ShrunkInferenceTable} turns the JSON results into the speed-up / MAC-ratio table
 * ({@code benchmarks/run.sh structured}).
 *
 * <p>Timed region: one inference on a seeded random batch along an {@link InferencePath}: DL4J's
 * {@code ComputationGraph.outputSingle(false, x)} on the network as it is, the same on the network after
 * {@code InferenceFolding} (batch norm folded into the convolutions, activations fused), or the deployment
 * runner with oneDNN kernels only or with its per-layer measured choice between oneDNN and its Java kernels. The folding and compiling happen in the setup, not in the timed region.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "--add-modules",
        "jdk.incubator.vector"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class ShrunkInferenceBenchmark {
    /** The network. */
    @Param({"RESNET56", "VGG19"})
    public String model;

    /** Fraction of each prunable group's channels removed. */
    @Param({"0", "0.5", "0.7"})
    public double removed;

    /**
     * Kept channel counts rounded up to a multiple of this ({@code StructuredConfig.channelMultiple}); 8 fits
     * oneDNN's blocked layouts.
     */
    @Param({"1", "8"})
    public int channelMultiple;

    /** Images per call. */
    @Param({"1", "64"})
    public int batch;

    /** How the network is run: {@link InferencePath} name. */
    @Param({"AS_IS", "FOLDED", "RUNNER_DENSE", "RUNNER_MEASURED"})
    public String path;

    /**
     * How the runner paths are settled in the set-up: EXPLICIT calls {@code SparseRunner.calibrate(input)} (what a
     * deployer does; its wall time is printed; {@code ImageSplitRunner.calibrate(input)} for the split path), NONE only
     * makes the {@link #WARM_CALLS} calls of the other paths, so that the runner settles by itself during JMH's
     * iterations (within about 135 calls). Ignored by the other paths.
     */
    @Param({"EXPLICIT"})
    public String calibration;

    /** Calls made in the set-up: at least the calibrating calls of the runner (4) and of the layers (3). */
    private static final int WARM_CALLS = 4;

    private UnaryOperator<INDArray> forward;
    private INDArray input;

    /** Builds, prunes and warms the network; prints parameters and MACs. */
    @Setup(Level.Trial)
    public void setUp() {
        StructuredResult result = ShrunkModels.prune(model, removed, channelMultiple);
        StructuredReport report = result.report();
        System.out.printf(Locale.ROOT, "%n%s removed %.2f multiple %d: parameters %d -> %d, MACs/image %d -> %d "
                + "(ratio %.3f)%n", model, removed, channelMultiple, report.paramsBefore(), report.paramsAfter(),
                report.macsBefore(), report.macsAfter(), (double) report.macsAfter() / report.macsBefore());
        Nd4j.getRandom().setSeed(42);
        input = Nd4j.rand(DataType.FLOAT, batch, 3, 32, 32);
        InferencePath inferencePath = InferencePath.valueOf(path);
        SparseRunner runner = inferencePath.runner((ComputationGraph) result.network());
        if (runner != null && "EXPLICIT".equals(calibration)) {
            CalibrationReport calibrated = runner.calibrate(input);
            System.out.printf(Locale.ROOT, "runner calibrate: %d calls, %.1f ms wall, threads %s%n",
                    calibrated.calls(), calibrated.millis(), calibrated.threads());
        }
        ImageSplitRunner split = inferencePath.split((ComputationGraph) result.network());
        if (split != null && "EXPLICIT".equals(calibration)) {
            long start = System.nanoTime();
            int block = split.calibrate(input);
            System.out.printf(Locale.ROOT, "split runner calibrate: blocks of %d images, %.1f ms wall%n", block,
                    (System.nanoTime() - start) / 1e6);
        }
        forward = runner != null ? x -> runner.output(x)[0] : split != null ? x -> split.output(x)[0]
                : inferencePath.prepare((ComputationGraph) result.network());
        // the runner's measured choice and the layers' measured convolution time both kernels at their first calls
        // with a batch size (4 and 3): those calls belong to the set-up, not to JMH's iterations
        for (int call = 0; call < WARM_CALLS; call++) {
            forward.apply(input);
        }
    }

    /** @param bh sink of the output */
    @Benchmark
    public void inference(Blackhole bh) {
        bh.consume(forward.apply(input));
    }
}
