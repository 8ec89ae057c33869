package org.rpg4j.benchmarks.onednn;

import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.IntStream;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.dl4j.layers.onednn.OneDnn;
import org.rpg4j.dl4j.layers.onednn.OneDnnConvolution;
import org.rpg4j.sparse.kernel.ConvolutionShape;

/**
 * Does libgomp's worker, still spinning after a oneDNN call, slow the Java loop that follows? In one JVM,
 * interleaved: a oneDNN convolution forward (ResNet-20's 16->16 3x3 layer at 32x32, batch 128), then one pass of
 * the fast batch norm's statistics loop (a copy of {@code ChannelKernels.sumAndDot}: per-channel sum and dot
 * product over two {@code [128, 16, 32, 32]} arrays, on the calling thread and the common fork-join pool) timed
 * either right after the convolution or after a pause long enough for the worker to stop spinning and sleep. Run it
 * with the OpenMP setting to test in the environment ({@code OMP_WAIT_POLICY}, {@code GOMP_SPINCOUNT}): with
 * {@code PASSIVE} the two should match (docs/performance.md, "Session 11").
 *
 * <p>Usage: {@code SpinAfterConvolution [rounds=60] [pauseMs=30]}.
 */
public final class SpinAfterConvolution {

    private static final int WARM_UP = 10;
    private static final int N = 128;
    private static final int C = 16;
    private static final int SIDE = 32;
    /** Pause between the two variants, so that each starts from the same state. */
    private static final long SETTLE_MS = 5;

    private SpinAfterConvolution() {
    }

    /**
     * @param args rounds, pause in milliseconds
     * @throws InterruptedException if interrupted while pausing
     */
    public static void main(String[] args) throws InterruptedException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        long pauseMs = args.length > 1 ? Long.parseLong(args[1]) : 30;
        if (rounds < 1 || pauseMs < 0) {
            throw new IllegalArgumentException("rounds must be >= 1 and pauseMs >= 0, got " + rounds + ", " + pauseMs);
        }
        if (!OneDnn.available()) {
            throw new IllegalStateException("the oneDNN preset is not on the class path");
        }
        ConvolutionShape shape = new ConvolutionShape(C, SIDE, SIDE, C, 3, 3, 1, 1, 1, 1, SIDE, SIDE);
        OneDnnConvolution convolution = OneDnnConvolution.create(shape, N, false, OneDnnConvolution.Layout.BLOCKED);
        INDArray input = Nd4j.rand(DataType.FLOAT, N, C, SIDE, SIDE);
        INDArray weights = Nd4j.rand(DataType.FLOAT, C, C, 3, 3);
        INDArray output = Nd4j.create(DataType.FLOAT, N, C, SIDE, SIDE);
        INDArray a = Nd4j.rand(DataType.FLOAT, N, C, SIDE, SIDE);
        INDArray b = Nd4j.rand(DataType.FLOAT, N, C, SIDE, SIDE);
        FloatBuffer fa = floats(a);
        FloatBuffer fb = floats(b);
        double[] sums = new double[C];
        double[] dots = new double[C];
        double[] right = new double[rounds];
        double[] paused = new double[rounds];
        for (int r = -WARM_UP; r < rounds; r++) {
            for (int k = 0; k < 2; k++) {
                boolean rightAfter = ((r & 1) == 0) == (k == 0);
                convolution.forward(input, weights, null, output);
                if (!rightAfter) {
                    Thread.sleep(pauseMs);
                }
                long start = System.nanoTime();
                sumAndDot(fa, fb, sums, dots);
                double ms = (System.nanoTime() - start) / 1e6;
                if (r >= 0) {
                    (rightAfter ? right : paused)[r] = ms;
                }
                Thread.sleep(SETTLE_MS);
            }
        }
        Arrays.sort(right);
        Arrays.sort(paused);
        System.out.printf(Locale.ROOT,
                "loop pass right after a convolution: median %.2f ms, fastest %.2f; after a %d ms "
                        + "pause: median %.2f ms, fastest %.2f; ratio of medians %.3f (%d rounds, OMP_WAIT_POLICY=%s, "
                        + "GOMP_SPINCOUNT=%s, load %.1f)%n", right[rounds / 2], right[0], pauseMs, paused[rounds / 2],
                paused[0], right[rounds / 2] / paused[rounds / 2], rounds, System.getenv("OMP_WAIT_POLICY"),
                System.getenv("GOMP_SPINCOUNT"), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static FloatBuffer floats(INDArray array) {
        long length = array.length();
        FloatPointer pointer = new FloatPointer(array.data().addressPointer());
        pointer.position(0).capacity(length).limit(length);
        return pointer.asBuffer();
    }

    /** {@code ChannelKernels.sumAndDot} (rpg-dl4j, package-private there) for {@code [N, C, SIDE, SIDE]}. */
    private static void sumAndDot(FloatBuffer a, FloatBuffer b, double[] sums, double[] dots) {
        int hw = SIDE * SIDE;
        IntStream.range(0, C).parallel().forEach(ch -> {
            // four independent accumulators per sum, as there (hw is a multiple of 4 here)
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            double d0 = 0;
            double d1 = 0;
            double d2 = 0;
            double d3 = 0;
            for (int i = 0; i < N; i++) {
                int base = (i * C + ch) * hw;
                for (int p = base; p < base + hw; p += 4) {
                    double v0 = a.get(p);
                    double v1 = a.get(p + 1);
                    double v2 = a.get(p + 2);
                    double v3 = a.get(p + 3);
                    s0 += v0;
                    s1 += v1;
                    s2 += v2;
                    s3 += v3;
                    d0 += v0 * b.get(p);
                    d1 += v1 * b.get(p + 1);
                    d2 += v2 * b.get(p + 2);
                    d3 += v3 * b.get(p + 3);
                }
            }
            sums[ch] = s0 + s1 + s2 + s3;
            dots[ch] = d0 + d1 + d2 + d3;
        });
    }
}
