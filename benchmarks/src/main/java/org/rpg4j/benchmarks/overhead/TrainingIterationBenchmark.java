package org.rpg4j.benchmarks.overhead;

import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
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
import org.rpg4j.benchmarks.models.ModelShapes;
import org.rpg4j.dl4j.Dl4jPruning;
import org.rpg4j.dl4j.Pruning;
import org.rpg4j.dl4j.layers.FastLayers;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankLoss;

/**
 * One DL4J training iteration of a CIFAR network at batch 128 (synthetic data, float32, workspaces
 * on): the denominator of every overhead target. With {@code pruning = RPG} an rpg4j run is attached
 * and has already reached 90 % sparsity with its last topology update, so the timed iterations carry
 * exactly the per-iteration work of the adapter (an in-situ cross-check of {@link
 * MaskEnforcementBenchmark}).
 *
 * <p>Warm-up: every variant takes the same {@value #ATTACH_FITS} fits in set-up and then 10 single-shot
 * warm-up calls (JMH {@code -wi 10}) before the measured ones; {@link PairedIterations} measures the
 * attached/plain pair interleaved in one JVM.
 *
 * <p>Timed region: one {@code ComputationGraph.fit(DataSet)}: forward, backward, the Nesterov update
 * with L2 (and the rpg4j hooks when attached). {@code STANDARD} uses DL4J's ConvolutionLayer and
 * BatchNormalization, {@code FAST} rpg4j's FastConvolutionLayer and FastBatchNormalization (libnd4j
 * conv2d/batchnorm ops, oneDNN with the {@code -onednn} classifier).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 10)
@Measurement(iterations = 4)
public class TrainingIterationBenchmark {

    /** Which layer implementations the network uses. */
    public enum Layers { STANDARD, FAST }

    /** Whether an rpg4j pruning run is attached. */
    public enum Attached { NONE, RPG }

    static final int BATCH = 128;

    /** Fits {@link #attachAtTarget} takes to reach the target sparsity (every variant takes as many in set-up). */
    static final int ATTACH_FITS = 3;

    @Param({"RESNET20", "RESNET32X2", "VGG19"})
    public ModelShapes model;

    @Param({"FAST", "STANDARD"})
    public Layers layers;

    @Param({"NONE"})
    public Attached pruning;

    private ComputationGraph net;
    private DataSet data;

    @Setup(Level.Trial)
    public void setUp() {
        net = new ComputationGraph(CifarModels.of(model, layers == Layers.FAST));
        net.init();
        data = SyntheticCifar.batch(BATCH, 7);
        System.out.printf("%s %s, %,d parameters, oneDNN %s%n", model, layers, net.numParams(), FastLayers.hasOneDnn());
        if (pruning == Attached.RPG) {
            attachAtTarget(net, data);
        } else {
            // the same fits as attachAtTarget, so that every variant has had the same warm-up
            for (int i = 0; i < ATTACH_FITS; i++) {
                net.fit(data);
            }
        }
    }

    @Benchmark
    public ComputationGraph fit() {
        net.fit(data);
        return net;
    }

    /**
     * Attaches rpg4j with a schedule that reaches 90 % sparsity in two topology updates (iterations 0
     * and 1, rank loss on) and then stops updating, and trains past them.
     *
     * @return the handle
     */
    static Pruning attachAtTarget(ComputationGraph net, DataSet data) {
        PruningConfig config = PruningConfig.builder(0.9, 100).deltaT(1).rampEndFraction(0.02)
                .updateEndFraction(0.03).rankLoss(RankLoss.lambda(0.5).partialK(0.1)).build();
        Pruning pruning = Dl4jPruning.attach(net, config);
        for (int i = 0; i < ATTACH_FITS; i++) {
            net.fit(data);
        }
        if (pruning.sparsity() < 0.89) {
            throw new IllegalStateException("the pruning run should have reached 90 % sparsity, it is at "
                    + pruning.sparsity());
        }
        return pruning;
    }
}
