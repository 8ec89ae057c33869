package org.rpg4j.benchmarks.prune;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
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
import org.rpg4j.benchmarks.models.ModelShapes;
import org.rpg4j.benchmarks.models.ModelTensors;
import org.rpg4j.prune.PrunableTensor;
import org.rpg4j.prune.Pruner;
import org.rpg4j.prune.PrunerState;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankLoss;

/**
 * One topology update as an adapter runs it, through {@link Pruner#updateTopology}, for the
 * prunable tensors of ResNet-20 and ResNet-50, without the rank loss (that is {@code
 * ModelRankGradientBenchmark}'s part of the update).
 *
 * <p>State: exponential ramp to 90 % sparsity over 90 updates ({@code deltaT = 100}); the pruner
 * has run update 44 and the benchmark runs update 45 (density about 0.32, drop fraction from the
 * cosine decay). Timed region: one {@link Pruner#updateTopology}: NaN/infinity checks, copies of
 * weights and gradients to float arrays, {@code TopologyUpdate.apply}, the new ND4J masks,
 * multiplying the weights by the keep masks, the summary (including the mean delta-rank of the
 * convolutions) and its log line. Weights and pruner state are restored before each call (not timed).
 *
 * <p>The heap is fixed and touched when the JVM starts ({@code -Xms6g -XX:+AlwaysPreTouch}), as in a
 * long-running training JVM: otherwise the calls that first write the young regions of a growing
 * heap pay the kernel's page faults (ResNet-20's calls ran at 70-130 ms instead of 10-20 ms until
 * then, for 10-25 calls, with and without the session 9 changes; the fewer bytes a call allocates,
 * the more calls that takes).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:+AlwaysPreTouch",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 3)
@Measurement(iterations = 8)
public class PrunerUpdateBenchmark {

    static final int DELTA_T = 100;
    static final int UPDATE = 45;

    @Param({"RESNET20", "RESNET50"})
    public ModelShapes model;

    private List<PrunableTensor> tensors;
    private PruningConfig config;
    private Map<String, INDArray> savedWeights;
    private Map<String, INDArray> gradients;
    private PrunerState savedState;
    private Map<String, INDArray> weights;
    private Pruner pruner;

    @Setup(Level.Trial)
    public void setUp() {
        tensors = ModelTensors.describe(model);
        config = PruningConfig.builder(0.9, 100L * DELTA_T).deltaT(DELTA_T)
                .rankLoss(RankLoss.none()).build();
        savedWeights = ModelTensors.weights(tensors, 0.0, 200);
        gradients = ModelTensors.gradients(tensors, 300);
        Pruner warm = Pruner.create(config, tensors);
        warm.initialise(savedWeights);
        warm.updateTopology(iteration(UPDATE - 1), savedWeights, gradients);
        savedState = warm.state();
        // untimed calls as the benchmark makes them, so that the JIT has compiled the call's path
        // before JMH's warm-up shots (with the heap touched, ResNet-20 still took about 6 calls)
        for (int call = 0; call < warmUpCalls(tensors); call++) {
            restore();
            pruner.updateTopology(iteration(UPDATE), weights, gradients);
        }
    }

    /** @return untimed calls before JMH's own warm-up: 30 for ResNet-20's 0.27 M weights, 3 for 25.5 M */
    static int warmUpCalls(List<PrunableTensor> tensors) {
        long total = tensors.stream().mapToLong(PrunableTensor::length).sum();
        return (int) Math.max(3, Math.min(30, 10_000_000L / total));
    }

    @Setup(Level.Invocation)
    public void restore() {
        weights = new LinkedHashMap<>();
        savedWeights.forEach((name, w) -> weights.put(name, w.dup()));
        pruner = Pruner.restore(config, tensors, savedState);
    }

    @Benchmark
    public void updateTopology(Blackhole blackhole) {
        blackhole.consume(pruner.updateTopology(iteration(UPDATE), weights, gradients));
    }

    /** @return the 0-based iteration at the end of which update {@code r} runs */
    private static long iteration(int r) {
        return (r + 1L) * DELTA_T - 1;
    }
}
