package org.rpg4j.benchmarks.sparse;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rpg4j.dl4j.deploy.runner.NativeThreading;
import org.rpg4j.dl4j.deploy.runner.RunnerOptions;
import org.rpg4j.dl4j.deploy.runner.CalibrationReport;
import org.rpg4j.dl4j.deploy.runner.SparseRunner;
import org.rpg4j.dl4j.deploy.runner.StepCoverage;

/**
 * Whole-network inference of a pruned VGG-19 or ResNet-56 (CIFAR, {@link PrunedCifarModels}): DL4J's
 * {@code outputSingle} on the network with rpg4j's fast layers (variant DL4J; its cost does not depend on
 * sparsity: dense kernels) against the compiled {@link SparseRunner} (measured per-layer kernel choice)
 * at 90, 95 and 98 % uniform sparsity and on RPG-pruned weights at 95 and 98 % ({@link RpgPrunedWeights}:
 * RPG's non-uniform per-layer sparsities). Timed region: one inference call on a seeded {@code [batch, 3, 32, 32]}
 * input. Setup settles the runner as a deployer does, {@code SparseRunner.calibrate(input)} (every kernel, race and
 * thread decision for the batch size; its wall time is printed), so that JMH measures a runner that times nothing;
 * with {@code calibration=NONE} it only calls the runner seven times as before session 13 (its first calibration),
 * and the runner settles by itself during the iterations. It then checks that the runner's output is within 1e-4 of
 * DL4J's (else it throws) and prints the runner's per-layer report. Images/s = batch / time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class NetworkInferenceBenchmark {

    private static final double TOLERANCE = 1e-4;

    /** VGG19 or RESNET56. */
    @Param({"VGG19", "RESNET56"})
    public String model;

    /** Images per call. */
    @Param({"1", "32"})
    public int batch;

    /**
     * DL4J (dense, fast layers), the runner on the unpruned network (U0: what the runner gains over DL4J
     * without any zeros to exploit), on uniformly pruned weights at U90, U95,
     * U98 % sparsity, or on RPG-pruned weights ({@link RpgPrunedWeights}) at RPG95, RPG98 %.
     */
    @Param({"DL4J", "U0", "U90", "U95", "U98", "RPG95", "RPG98"})
    public String variant;

    /**
     * The runner's {@link StepCoverage}: KERNELS_AND_POOLING (default: pooling on Java arrays) or KERNELS
     * (pooling through DL4J, the runner before the pooling steps); ignored by variant DL4J. JMH orders
     * parameters by name and varies the last fastest: the name sorts after {@code variant}, so the two
     * coverages of one case run back to back.
     */
    @Param({"KERNELS_AND_POOLING"})
    public String withCoverage;

    /**
     * The runner's {@link NativeThreading}: JAVA_THREADS (default: its dense convolutions split into
     * single-threaded native calls over its own threads) or OPENMP (native ops on libnd4j's OpenMP threads, the
     * runner before that option); ignored by variant DL4J. Sorts after {@code withCoverage}: the two of one case
     * run back to back.
     */
    @Param({"JAVA_THREADS"})
    public String withNativeThreading;

    /**
     * EXPLICIT: {@code SparseRunner.calibrate(input)} in the set-up; NONE: seven plain calls (the runner settles by
     * itself within about 135 calls). Ignored by variant DL4J.
     */
    @Param({"EXPLICIT"})
    public String calibration;

    private ComputationGraph graph;
    private SparseRunner runner;
    private INDArray input;

    /**
     * Builds the pruned network (DL4J uses the uniform 95 % one), compiles and calibrates the runner.
     *
     * @throws IOException if the RPG-pruned weights cannot be read or written
     */
    @Setup
    public void setUp() throws IOException {
        double sparsity = "DL4J".equals(variant) ? 0.95 : Integer.parseInt(variant.replaceAll("[A-Z]", "")) / 100.0;
        graph = variant.startsWith("RPG") ? RpgPrunedWeights.graph(model, sparsity, true)
                : PrunedCifarModels.of(model, sparsity);
        input = PrunedCifarModels.input(batch);
        if ("DL4J".equals(variant)) {
            return;
        }
        runner = SparseRunner.compile(graph, RunnerOptions.defaults().withCoverage(StepCoverage.valueOf(withCoverage))
                .withNativeThreading(NativeThreading.valueOf(withNativeThreading)));
        if ("EXPLICIT".equals(calibration)) {
            CalibrationReport calibrated = runner.calibrate(input);
            System.out.printf(Locale.ROOT, "runner calibrate %s batch %d %s: %d calls, %.1f ms wall, threads %s%n",
                    model, batch, variant, calibrated.calls(), calibrated.millis(), calibrated.threads());
        } else {
            // a warm-up call, three that time the kernels still in the race and up to three more for close races
            for (int call = 0; call < 6; call++) {
                runner.output(input);
            }
        }
        INDArray actual = runner.output(input)[0];
        INDArray expected = graph.outputSingle(input);
        double difference = actual.sub(expected).amaxNumber().doubleValue();
        if (!(difference <= TOLERANCE)) {
            throw new IllegalStateException("runner output differs from DL4J's by " + difference);
        }
        System.out.println("runner report " + model + " batch " + batch + " " + variant + " " + withCoverage + " "
                + withNativeThreading + " (max |diff| "
                + difference + "):");
        runner.report().stream().filter(c -> c.batch() > 0).forEach(c -> System.out.println("  " + c));
    }

    /**
     * Prints the runner's whole-call choice of threads as it stands after the measurement (the report printed at
     * setup comes before the first thread race): one thread or two decides a batch-32 call's time by up to 1.6x.
     */
    @TearDown
    public void tearDown() {
        if (runner == null) {
            return;
        }
        runner.report().stream().filter(c -> c.batch() == batch).findFirst().ifPresent(c -> {
            String note = c.calibration();
            int at = note.indexOf("whole calls");
            System.out.println("runner threads " + model + " batch " + batch + " " + variant + ": " + (at < 0
                    ? "no whole-call thread choice yet" : note.substring(at)));
        });
    }

    /** @return the network output */
    @Benchmark
    public INDArray inference() {
        return runner == null ? graph.outputSingle(input) : runner.output(input)[0];
    }
}
