package org.rpg4j.benchmarks.sparse;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.rpg4j.sparse.kernel.ConvolutionShape;
import org.rpg4j.sparse.kernel.FusedActivation;
import org.rpg4j.sparse.kernel.InterleavedConvolution;
import org.rpg4j.sparse.kernel.InterleavedLayout;
import org.rpg4j.sparse.kernel.KernelInstructions;
import org.rpg4j.sparse.kernel.KernelThreading;
import org.rpg4j.sparse.kernel.PlaneLayout;
import org.rpg4j.sparse.kernel.SparseConvolution;

/**
 * One thread's rate (GMAC/s) of a dense 3x3 stride-1 C-to-C convolution with ReLU on the shrunk ResNet-56's
 * shapes (70 % of the channels removed: 5ch 32x32, 10ch 16x16, 19 and 20ch 8x8), at 16 and 32 images, in one
 * JVM: the NCHW kernel ({@link SparseConvolution}, dense weights, padded input and output planes, the calling
 * thread; once on the whole batch and once in blocks of 4 images, as {@code ImageSplitRunner} calls it) against
 * {@link InterleavedConvolution} on the batch-interleaved layout. Each variant is warmed for 3 s first (C2 must
 * have compiled both; the Vector API runs 100x slower uncompiled); then each round runs every variant for a block
 * of 40 ms, interleaved, and the table keeps each variant's fastest round by its median call.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks.jar \
 *     org.rpg4j.benchmarks.sparse.InterleavedKernelTime [rounds]</pre>
 */
public final class InterleavedKernelTime {
    private static final int[][] SHAPES = {{5, 32}, {10, 16}, {19, 8}, {20, 8}};
    private static final int[] BATCHES = {16, 32};
    private static final int SPLIT_BLOCK = 4;
    private static final long WARM_UP_NANOS = 3_000_000_000L;
    private static final long BLOCK_NANOS = 40_000_000L;

    private InterleavedKernelTime() {}

    /** @param args optional: rounds (default 8) */
    public static void main(String[] args) {
        int rounds = RunnerCase.positiveCount(args, 0, "rounds", 8);
        System.out.printf(Locale.ROOT, "instructions %s, load %.1f at start%n", KernelInstructions.best(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("| shape | batch | rows us (GMAC/s) | rows 4-image blocks us (GMAC/s) | interleaved us "
                + "(GMAC/s) | interleaved / rows | interleaved / blocks |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (int[] s : SHAPES) {
            for (int batch : BATCHES) {
                new Case(s[0], s[1], batch).measure(rounds);
            }
        }
        System.out.printf(Locale.ROOT, "load %.1f at end%n", ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage());
    }

    /** One shape and batch with its three variants, on the same weights and images. */
    private static final class Case {
        private final int channels;
        private final int size;
        private final int batch;
        private final Runnable[] variants;

        Case(int channels, int size, int batch) {
            this.channels = channels;
            this.size = size;
            this.batch = batch;
            Random random = new Random(56);
            ConvolutionShape shape = new ConvolutionShape(channels, size, size, channels, 3, 3, 1, 1, 1, 1, size,
                    size);
            float[] weights = new float[channels * channels * 9];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (float) random.nextGaussian() * 0.2f;
            }
            float[] bias = new float[channels];
            float[] images = new float[batch * channels * size * size];
            for (int i = 0; i < images.length; i++) {
                images[i] = random.nextFloat();
            }
            SparseConvolution rows = SparseConvolution.of(shape, weights, bias, FusedActivation.RELU,
                    KernelThreading.CALLER_ONLY);
            PlaneLayout plane = rows.inputLayout();
            float[] padded = plane.pad(images, batch * channels);
            float[] planeOut = new float[batch * channels * plane.planeSize()];
            int blockIn = SPLIT_BLOCK * channels * plane.planeSize();
            float[][] blockInputs = new float[batch / SPLIT_BLOCK][];
            float[][] blockOutputs = new float[batch / SPLIT_BLOCK][];
            for (int b = 0; b < blockInputs.length; b++) {
                blockInputs[b] = Arrays.copyOfRange(padded, b * blockIn, (b + 1) * blockIn);
                blockOutputs[b] = new float[blockIn];
            }
            InterleavedConvolution interleaved = InterleavedConvolution.of(shape, weights, bias,
                    FusedActivation.RELU, KernelInstructions.best());
            InterleavedLayout layout = new InterleavedLayout(channels, size, size, 1);
            int groups = InterleavedLayout.groups(batch);
            float[] in = new float[groups * layout.groupSize()];
            layout.interleave(images, batch, in);
            float[] out = new float[in.length];
            if (channels == SHAPES[0][0] && batch == BATCHES[0]) {
                System.out.println("(" + interleaved + ")");
            }
            variants = new Runnable[] {() -> rows.forward(padded, plane, batch, planeOut, plane),
                    () -> {
                        for (int b = 0; b < blockInputs.length; b++) {
                            rows.forward(blockInputs[b], plane, SPLIT_BLOCK, blockOutputs[b], plane);
                        }
                    }, () -> interleaved.forward(in, layout, groups, out, layout, null)};
        }

        void measure(int rounds) {
            for (Runnable variant : variants) {
                run(variant, WARM_UP_NANOS);
            }
            double[] best = new double[variants.length];
            Arrays.fill(best, Double.MAX_VALUE);
            for (int r = 0; r < rounds; r++) {
                for (int v = 0; v < variants.length; v++) {
                    best[v] = Math.min(best[v], run(variants[v], BLOCK_NANOS));
                }
            }
            double macs = (double) batch * channels * channels * 9 * size * size;
            System.out.printf(Locale.ROOT,
                    "| %dch %dx%d | %d | %.1f (%.1f) | %.1f (%.1f) | %.1f (%.1f) | %.2f | %.2f |%n",
                    channels, size, size, batch, best[0], macs / best[0] / 1e3, best[1], macs / best[1] / 1e3,
                    best[2], macs / best[2] / 1e3, best[0] / best[2], best[1] / best[2]);
        }

        /** @return the median call in microseconds over a block of about {@code nanos} */
        private static double run(Runnable variant, long nanos) {
            double[] times = new double[100_000];
            int n = 0;
            long end = System.nanoTime() + nanos;
            while (n < times.length) {
                long start = System.nanoTime();
                variant.run();
                long stop = System.nanoTime();
                times[n++] = (stop - start) / 1e3;
                if (stop > end) {
                    break;
                }
            }
            Arrays.sort(times, 0, n);
            return times[n / 2];
        }
    }
}
