package org.rpg4j.benchmarks.sparse;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.rpg4j.sparse.kernel.BatchedConvolution;
import org.rpg4j.sparse.kernel.ChannelBlocking;
import org.rpg4j.sparse.kernel.ConvolutionShape;
import org.rpg4j.sparse.kernel.FusedActivation;
import org.rpg4j.sparse.kernel.KernelInstructions;
import org.rpg4j.sparse.kernel.KernelThreading;
import org.rpg4j.sparse.kernel.SourceTiling;
import org.rpg4j.sparse.kernel.SparseConvolution;

/**
 * Per-layer thread CPU time on small planes at batch 32: the image-by-image {@link SparseConvolution}
 * ({@link ChannelBlocking#AUTO}) against the batch-interleaved {@link BatchedConvolution} (its NCHW conversions
 * in and out included; channels one at a time and in blocks of four) and libnd4j's {@code conv2d} (oneDNN), in one
 * JVM with the variants interleaved as in {@link ChannelBlockingTime} (each round one block of calls of every
 * variant; the table keeps each variant's fastest block). Shapes: 3x3, stride 1, pad 1, no bias, identity:
 * VGG-19's 512 channels at 4x4 and 2x2, ResNet-56's 64 channels at 8x8 and its 32-channel 16x16 stage, weights
 * zeroed at random to densities 0.02-0.3. Everything runs on the calling thread; run the JVM with
 * {@code OMP_NUM_THREADS=1} so that the op does too:
 *
 * <pre>OMP_NUM_THREADS=1 java --add-modules jdk.incubator.vector -cp benchmarks.jar \
 *     org.rpg4j.benchmarks.sparse.SmallPlaneTime [rounds] [filter] [batch] [shapes] [densities]</pre>
 *
 * <p>{@code shapes} is a comma-separated list of {@code channelsxsize} (e.g. {@code 256x8,128x16}, VGG-19's
 * 8x8 and 16x16 stages), {@code densities} a comma-separated list of densities; the defaults are the shapes
 * and densities above.
 *
 * <p>GMAC/s counts the multiply-adds of non-zero weights (for the op too, so that the columns compare).
 */
public final class SmallPlaneTime {
    private static final int[][] SHAPES = {{512, 4}, {512, 2}, {64, 8}, {32, 16}};
    private static final double[] DENSITIES = {0.02, 0.05, 0.1, 0.2, 0.3};
    /** CPU time per block of calls of one variant. */
    private static final long BLOCK_NANOS = 20_000_000L;
    /** CPU time per warm-up block. */
    private static final long WARM_UP_NANOS = 150_000_000L;

    private SmallPlaneTime() {}

    /**
     * @param args optional: rounds (default 3), a substring the case names must contain, the batch (32), the
     *     shapes ({@code 512x4,512x2,64x8,32x16}), the densities ({@code 0.02,0.05,0.1,0.2,0.3})
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        String filter = args.length > 1 ? args[1] : "";
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int[][] shapes = args.length > 3 ? Arrays.stream(args[3].split(",")).map(s -> Arrays.stream(s.split("x"))
                .mapToInt(Integer::parseInt).toArray()).toArray(int[][]::new) : SHAPES;
        double[] densities = args.length > 4 ? Arrays.stream(args[4].split(",")).mapToDouble(Double::parseDouble)
                .toArray() : DENSITIES;
        List<Case> cases = new ArrayList<>();
        for (int[] s : shapes) {
            for (double density : densities) {
                cases.add(new Case(s[0], s[1], density, batch));
            }
        }
        System.out.printf(Locale.ROOT, "OMP_NUM_THREADS=%s, %s, load %.2f at start%n", System.getenv(
                "OMP_NUM_THREADS"), KernelInstructions.best(), ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
        System.out.println("| c x size | density | batch | per-image us | batched rows us | batched blocks us | "
                + "op us | per-image GMAC/s | batched best GMAC/s | op GMAC/s | batched / per-image | tiled us | "
                + "tiled GMAC/s | op / tiled |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Case c : cases) {
            if (c.name().contains(filter)) {
                c.measure(rounds);
            }
        }
        System.out.printf(Locale.ROOT, "load %.2f at end%n", ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage());
    }

    /** One layer shape and density with its four variants. */
    private record Case(int channels, int size, double density, int batch) {

        String name() {
            return channels + "x" + size + " d" + density;
        }

        void measure(int rounds) {
            LayerTiming.SquareLayer layer = LayerTiming.SquareLayer.of(channels, size, density, batch);
            ConvolutionShape shape = layer.shape();
            float[] weights = layer.weights();
            long nonZeros = layer.nonZeros();
            float[] input = layer.input();
            float[] output = layer.output();
            KernelThreading one = KernelThreading.CALLER_ONLY;
            FusedActivation id = FusedActivation.IDENTITY;
            KernelInstructions best = KernelInstructions.best();
            SparseConvolution perImage = SparseConvolution.of(shape, weights, null, id, one, best,
                    ChannelBlocking.AUTO);
            BatchedConvolution rows = BatchedConvolution.of(shape, weights, null, id, one, best, ChannelBlocking.NEVER,
                    SourceTiling.NEVER);
            BatchedConvolution blocks = BatchedConvolution.of(shape, weights, null, id, one, best,
                    ChannelBlocking.ALWAYS, SourceTiling.NEVER);
            BatchedConvolution tiled = BatchedConvolution.of(shape, weights, null, id, one, best,
                    ChannelBlocking.NEVER, SourceTiling.ALWAYS);
            Runnable[] variants = {() -> perImage.forward(input, batch, output), () -> rows.forward(input, batch,
                    output, null), () -> blocks.forward(input, batch, output, null), LayerTiming.libnd4jConvolution(
                            shape, weights, input, batch),
                    () -> tiled.forward(input, batch, output, null)};
            double[] bestUs = Arrays.stream(LayerTiming.bestCpuNanosPerCall(variants, rounds, WARM_UP_NANOS,
                    BLOCK_NANOS, 1)).map(nanos -> nanos / 1e3).toArray();
            // non-zero multiply-adds per microsecond / 1000 = GMAC/s
            double kmacs = (double) batch * nonZeros * size * size / 1e3;
            double batched = Math.min(bestUs[1], bestUs[2]);
            System.out.printf(Locale.ROOT, "| %dx%d | %.2f | %d | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f | %.2f | "
                    + "%.2fx | %.1f | %.2f | %.2fx |%n", channels, size, density, batch, bestUs[0], bestUs[1],
                    bestUs[2], bestUs[3], kmacs / bestUs[0], kmacs / batched, kmacs / bestUs[3], bestUs[0] / batched,
                    bestUs[4], kmacs / bestUs[4], bestUs[3] / bestUs[4]);
        }
    }
}
