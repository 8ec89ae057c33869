package org.rpg4j.benchmarks.sparse;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.rpg4j.sparse.kernel.ChannelBlocking;
import org.rpg4j.sparse.kernel.ConvolutionShape;
import org.rpg4j.sparse.kernel.FusedActivation;
import org.rpg4j.sparse.kernel.KernelInstructions;
import org.rpg4j.sparse.kernel.KernelThreading;
import org.rpg4j.sparse.kernel.SparseConvolution;

/**
 * Per-layer thread CPU time of {@link SparseConvolution} computing its output channels one at a time
 * ({@link ChannelBlocking#NEVER}, the kernel before channel blocks) against four at a time
 * ({@link ChannelBlocking#ALWAYS}) and against libnd4j's {@code conv2d} op (oneDNN) on a reused op context, in one
 * JVM with the variants interleaved: each round runs one block of calls of every variant, and the table keeps
 * each variant's fastest block (on a loaded machine even thread CPU time moves with the moment). Shapes: 3x3,
 * stride 1, Same padding, no bias, identity: ResNet-56's dense layers (16/32/64 channels at 32/16/8 pixels) and
 * its shrunk ones (8/16/32 at 50 %, 5/10/19 at 70 % of the channels removed) at density 1, batch 1 and 64;
 * VGG-19's layers (64 to 512 channels at 32 to 2 pixels) at densities 0.1, 0.2, 0.3, 0.5 and 1 (weights zeroed at
 * random, as RPG's unstructured masks), batch 1. The sparse kernel runs on the calling thread; run the JVM with
 * {@code OMP_NUM_THREADS=1} so that the op does too:
 *
 * <pre>OMP_NUM_THREADS=1 java --add-modules jdk.incubator.vector -cp benchmarks.jar \
 *     org.rpg4j.benchmarks.sparse.ChannelBlockingTime [rounds] [filter]</pre>
 *
 * <p>{@code us/MMAC} is microseconds per million multiply-adds of non-zero weights (the op: of all weights).
 */
public final class ChannelBlockingTime {
    private static final int[][] RESNET = {{16, 32}, {32, 16}, {64, 8}, {8, 32}, {16, 16}, {32, 8}, {5, 32}, {10, 16},
            {19, 8}};
    private static final int[][] VGG = {{64, 32}, {128, 16}, {256, 8}, {512, 4}, {512, 2}};
    private static final double[] VGG_DENSITIES = {0.1, 0.2, 0.3, 0.5, 1.0};
    /** CPU time per block of calls of one variant. */
    private static final long BLOCK_NANOS = 20_000_000L;
    /** CPU time per warm-up block. */
    private static final long WARM_UP_NANOS = 150_000_000L;

    private ChannelBlockingTime() {}

    /**
     * @param args optional: rounds (default 5), a substring the case names must contain (default all), the
     *     sparse kernel's {@link KernelInstructions} (default the best available)
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String filter = args.length > 1 ? args[1] : "";
        KernelInstructions instructions = args.length > 2 ? KernelInstructions.valueOf(args[2])
                : KernelInstructions.best();
        List<Case> cases = new ArrayList<>();
        for (int[] s : RESNET) {
            for (int batch : new int[] {1, 64}) {
                cases.add(new Case("resnet", s[0], s[1], 1.0, batch, instructions));
            }
        }
        for (int[] s : VGG) {
            for (double density : VGG_DENSITIES) {
                cases.add(new Case("vgg", s[0], s[1], density, 1, instructions));
            }
        }
        System.out.printf(Locale.ROOT, "OMP_NUM_THREADS=%s, sparse kernel %s, load %.1f at start%n",
                System.getenv("OMP_NUM_THREADS"), instructions, ManagementFactory
                        .getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("| case | c x size | density | batch | fill | per-row us | blocks us | op us | "
                + "per-row / blocks | per-row us/MMAC | blocks us/MMAC | op us/MMAC | AUTO |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (Case c : cases) {
            if (c.name().contains(filter)) {
                c.measure(rounds);
            }
        }
        System.out.printf(Locale.ROOT, "load %.1f at end%n", ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage());
    }

    /** One layer shape, density and batch, with its three variants. */
    private record Case(String model, int channels, int size, double density, int batch,
                        KernelInstructions instructions) {

        String name() {
            return model + " " + channels + "x" + size + " d" + density + " b" + batch;
        }

        void measure(int rounds) {
            LayerTiming.SquareLayer layer = LayerTiming.SquareLayer.of(channels, size, density, batch);
            ConvolutionShape shape = layer.shape();
            float[] weights = layer.weights();
            long nonZeros = layer.nonZeros();
            float[] input = layer.input();
            float[] output = layer.output();
            SparseConvolution rows = SparseConvolution.of(shape, weights, null, FusedActivation.IDENTITY,
                    KernelThreading.CALLER_ONLY, instructions, ChannelBlocking.NEVER);
            SparseConvolution blocks = SparseConvolution.of(shape, weights, null, FusedActivation.IDENTITY,
                    KernelThreading.CALLER_ONLY, instructions, ChannelBlocking.ALWAYS);
            SparseConvolution auto = SparseConvolution.of(shape, weights, null, FusedActivation.IDENTITY,
                    KernelThreading.CALLER_ONLY, instructions, ChannelBlocking.AUTO);
            Runnable op = LayerTiming.libnd4jConvolution(shape, weights, input, batch);
            Runnable[] variants = {() -> rows.forward(input, batch, output), () -> blocks.forward(input, batch,
                    output), op};
            double[] best = Arrays.stream(LayerTiming.bestCpuNanosPerCall(variants, rounds, WARM_UP_NANOS,
                    BLOCK_NANOS, 4)).map(nanos -> nanos / 1e3).toArray();
            double sparseMacs = (double) batch * nonZeros * size * size / 1e6;
            double denseMacs = (double) batch * shape.denseMultiplyAdds() / 1e6;
            String fill = blocks.toString().contains("channel blocks") ? String.format(Locale.ROOT, "%.2f",
                    fill(weights, channels, shape.patchSize())) : "-";
            System.out.printf(Locale.ROOT, "| %s | %dx%d | %.1f | %d | %s | %.1f | %.1f | %.1f | %.2fx | %.1f | %.1f "
                    + "| %.1f | %s |%n", model, channels, size, density, batch, fill, best[0], best[1], best[2],
                    best[0] / best[1], best[0] / sparseMacs, best[1] / sparseMacs, best[2] / denseMacs,
                    auto.toString().contains("channel blocks") ? "blocks" : "per-row");
        }

        /** @return stored weights per non-zero of blocks of four consecutive rows (as the kernel builds them) */
        private static double fill(float[] weights, int rows, int cols) {
            long stored = 0;
            long nonZeros = 0;
            for (int b = 0; b + 4 <= rows; b += 4) {
                for (int c = 0; c < cols; c++) {
                    boolean any = false;
                    for (int j = 0; j < 4; j++) {
                        boolean nz = weights[(b + j) * cols + c] != 0f;
                        any |= nz;
                        nonZeros += nz ? 1 : 0;
                    }
                    stored += any ? 4 : 0;
                }
            }
            return (double) stored / nonZeros;
        }
    }
}
