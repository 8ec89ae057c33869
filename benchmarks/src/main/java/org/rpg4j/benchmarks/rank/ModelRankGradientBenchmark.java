package org.rpg4j.benchmarks.rank;

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
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankLoss;

/**
 * The rank-loss gradient of a whole model, computed once per topology update (every {@code deltaT}
 * iterations): the numerator of the amortised overhead {@code rank time / (deltaT * iteration time)}.
 *
 * <p>Timed region: one {@link Pruner#rankStep}: {@code AdversarialRankLoss.compute} on every
 * convolution (the rank layers of the reference: ResNet-20 21, ResNet-32 x2 33, VGG-19 16,
 * ResNet-50 53), their aggregation and the bookkeeping of k. Weights are seeded float32 at 80 %
 * sparsity.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 4)
public class ModelRankGradientBenchmark {

    @Param({"RESNET20", "RESNET32X2", "VGG19", "RESNET50"})
    public ModelShapes model;

    private Pruner pruner;
    private Map<String, INDArray> weights;

    @Setup(Level.Trial)
    public void setUp() {
        List<PrunableTensor> tensors = ModelTensors.describe(model);
        PruningConfig config = PruningConfig.builder(0.9, 100_000)
                .rankLoss(RankLoss.lambda(0.5).partialK(SvdBenchmark.PARTIAL_K)).build();
        pruner = Pruner.create(config, tensors);
        weights = ModelTensors.weights(tensors, SvdBenchmark.SPARSITY, SvdBenchmark.SEED);
    }

    @Benchmark
    public void rankStep(Blackhole blackhole) {
        blackhole.consume(pruner.rankStep(weights));
    }
}
