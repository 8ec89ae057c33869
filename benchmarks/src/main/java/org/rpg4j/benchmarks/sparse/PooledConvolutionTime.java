package org.rpg4j.benchmarks.sparse;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Random;
import org.rpg4j.sparse.kernel.ConvolutionShape;
import org.rpg4j.sparse.kernel.FusedActivation;
import org.rpg4j.sparse.kernel.KernelThreading;
import org.rpg4j.sparse.kernel.MaxPool2x2;
import org.rpg4j.sparse.kernel.PlaneLayout;
import org.rpg4j.sparse.kernel.SparseConvolution;

/**
 * The per-image sparse convolution followed by 2x2/2 max pooling, two ways, on the calling thread: the convolution's
 * full NCHW output stored, then pooled in a second pass (the runner before session 11: a convolution step, then the
 * pooling step), against {@link SparseConvolution#forwardPooled} (each channel pooled from the kernel's accumulator).
 * VGG-19's two per-image layers before a pool: 64 -> 64 channels at 32x32 (RPG 95 %: density 0.82) and 128 -> 128 at
 * 16x16 (0.68), 3x3 pad 1, ReLU, weights zeroed at random to the density, batch 32, input in the kernel's padded
 * layout. The two variants alternate in blocks; printed: each one's fastest block (thread CPU time per call) and the
 * ratio. Run with {@code OMP_NUM_THREADS=1}:
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks.jar org.rpg4j.benchmarks.sparse.PooledConvolutionTime
 *     [rounds]</pre>
 */
public final class PooledConvolutionTime {

    private static final int BATCH = 32;
    private static final int CALLS_PER_BLOCK = 3;

    private PooledConvolutionTime() {
    }

    /**
     * @param args optional: rounds (default 8)
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        run(64, 32, 0.82, rounds);
        run(128, 16, 0.68, rounds);
    }

    private static void run(int channels, int size, double density, int rounds) {
        ConvolutionShape shape = new ConvolutionShape(channels, size, size, channels, 3, 3, 1, 1, 1, 1, size, size);
        Random random = new Random(7);
        float[] weights = LayerTiming.sparseGaussian(random, channels * channels * 9, density);
        float[] bias = new float[channels];
        SparseConvolution conv = SparseConvolution.of(shape, weights, bias, FusedActivation.RELU,
                KernelThreading.CALLER_ONLY);
        PlaneLayout in = conv.inputLayout();
        float[] plain = LayerTiming.gaussian(random, BATCH * shape.inputSize());
        float[] input = in.pad(plain, channels);
        float[] full = new float[BATCH * shape.outputSize()];
        int half = size / 2;
        float[] pooled = new float[BATCH * channels * half * half];
        float[] fused = new float[pooled.length];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double separate = Double.MAX_VALUE;
        double together = Double.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            long start = threads.getCurrentThreadCpuTime();
            for (int c = 0; c < CALLS_PER_BLOCK; c++) {
                conv.forward(input, in, BATCH, full, null);
                for (int p = 0; p < BATCH * channels; p++) {
                    MaxPool2x2.plane(full, p * size * size, size, size, size, pooled, p * half * half, half);
                }
            }
            long middle = threads.getCurrentThreadCpuTime();
            for (int c = 0; c < CALLS_PER_BLOCK; c++) {
                conv.forwardPooled(input, in, BATCH, fused, null);
            }
            long end = threads.getCurrentThreadCpuTime();
            separate = Math.min(separate, (middle - start) / 1e6 / CALLS_PER_BLOCK);
            together = Math.min(together, (end - middle) / 1e6 / CALLS_PER_BLOCK);
        }
        if (!java.util.Arrays.equals(pooled, fused)) {
            throw new IllegalStateException("the two ways differ");
        }
        System.out.printf(Locale.ROOT,
                "%d -> %d channels %dx%d density %.2f batch %d: convolution then pooling %.2f ms,"
                        + " pooled in the output pass %.2f ms; ratio %.3f%n", channels, channels, size, size, density,
                BATCH,
                separate, together, together / separate);
    }
}
