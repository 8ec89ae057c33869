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

/**
 * The decomposition the rank loss needs, per conv-layer matrix shape and per method: every squared
 * singular value and the singular vectors of the smaller side of a float32 {@code [out, in * kh *
 * kw]} matrix.
 *
 * <p>Timed region: one {@link SpectrumMethod#decompose} call: the copy the method needs (to double,
 * column-major or EJML), the Gram product where the method uses one, the LAPACK or EJML solver and
 * any copy back. Not timed: generating the seeded weights and the expected {@code k} (the previous
 * update's, which the randomized method uses as its sketch size). Accuracy of each method is
 * checked by {@link SvdAccuracy}, not here.
 *
 * <p>Shapes: the distinct conv matrices of CIFAR ResNet-20/32 (16x27 stem, 16x144, 32x288, 64x576,
 * the 1x1 shortcuts 32x16 and 64x32), VGG-19 (64x27 .. 512x4608) and ResNet-50 (64x147 stem ..
 * 512x4608, 1024x256, 2048x512, 2048x1024).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class SvdBenchmark {

    /** Tail-energy fraction of the reference CIFAR recipe. */
    static final double PARTIAL_K = 0.1;
    /** Sparsity of the synthetic weights: a layer late in the density ramp. */
    static final double SPARSITY = 0.8;
    static final long SEED = 6;

    @Param({"16x27", "32x16", "64x32", "16x144", "64x147", "32x288", "64x576", "128x1152", "1024x256",
            "256x2304", "2048x512", "512x4608", "2048x1024"})
    public String shape;

    @Param
    public SpectrumMethod method;

    private INDArray matrix;
    private int expectedK;

    @Setup(Level.Trial)
    public void setUp() {
        matrix = matrixOf(shape);
        expectedK = TruncationCheck.reference(matrix, PARTIAL_K).k();
    }

    @Benchmark
    public void decompose(Blackhole blackhole) {
        blackhole.consume(method.decompose(matrix, expectedK));
    }

    /** @return the seeded float32 matrix for a {@code "rowsxcols"} shape */
    static INDArray matrixOf(String shape) {
        String[] parts = shape.split("x");
        if (parts.length != 2) {
            throw new IllegalArgumentException("shape must be rowsxcols, got " + shape);
        }
        long[] dims = {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
        return org.rpg4j.benchmarks.models.SyntheticWeights.of(dims, SPARSITY, SEED + dims[0] * 31 + dims[1]);
    }
}
