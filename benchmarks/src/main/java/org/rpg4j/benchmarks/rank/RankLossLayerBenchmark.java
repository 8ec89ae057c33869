package org.rpg4j.benchmarks.rank;

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
import org.rpg4j.rank.AdversarialRankLoss;

/**
 * The adversarial rank loss of one layer as rpg-core computes it, per conv-matrix shape: what
 * {@link SvdBenchmark}'s decomposition costs inside the whole operation.
 *
 * <p>Timed region: one {@link AdversarialRankLoss#compute} on a float32 {@code [out, rest]}
 * matrix: validation, double copy and normalisation, Gram matrix, LAPACK dsyevd, choice of k, the
 * projection onto the narrower eigenvector block, the gradient and its cast back to float32.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class RankLossLayerBenchmark {

    @Param({"16x144", "64x576", "256x2304", "512x4608", "2048x1024"})
    public String shape;

    private INDArray matrix;

    @Setup(Level.Trial)
    public void setUp() {
        matrix = SvdBenchmark.matrixOf(shape);
    }

    @Benchmark
    public void rankLoss(Blackhole blackhole) {
        blackhole.consume(AdversarialRankLoss.compute(matrix, SvdBenchmark.PARTIAL_K));
    }
}
