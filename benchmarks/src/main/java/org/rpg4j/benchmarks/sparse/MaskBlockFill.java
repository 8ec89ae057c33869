package org.rpg4j.benchmarks.sparse;

import java.io.IOException;
import java.util.BitSet;
import java.util.Locale;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Whether RPG's masks share taps between output channels, so that blocks of four channels (the per-image kernel's
 * channel blocks) would hold fewer stored zeros in another channel order: per convolution of the RPG-pruned network,
 * the blocks' fill (stored weights per non-zero, {@code 4 * taps / nonZeros} as {@code ChannelBlocks.fill()}) in the
 * layer's own channel order, after a greedy reordering (each block starts from the densest channel left and adds,
 * three times, the channel that adds the fewest new taps to the block's union), and the expectation for a random mask
 * of the same density ({@code (1 - (1 - d)^4) / d}). No timing.
 *
 * <p>Usage: {@code MaskBlockFill MODEL PERCENT}, e.g. {@code MaskBlockFill VGG19 98}.
 */
public final class MaskBlockFill {

    private static final int ROWS = 4;

    private MaskBlockFill() {
    }

    /**
     * @param args model ({@code VGG19}, {@code RESNET56}) and sparsity in percent (95, 98)
     * @throws IOException if the RPG-pruned weights cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: MaskBlockFill MODEL PERCENT, got " + args.length + " arguments");
        }
        int percent = RunnerCase.count("PERCENT", args[1]);
        ComputationGraph graph = RpgPrunedWeights.graph(args[0], percent / 100.0, true);
        System.out.println(
                "| layer | out x patch | density | fill, own order | fill, greedy order | fill, random mask |");
        System.out.println("|---|---|---:|---:|---:|---:|");
        for (Layer layer : graph.getLayers()) {
            if (!(layer.conf().getLayer() instanceof ConvolutionLayer)) {
                continue;
            }
            float[] w = layer.getParam("W").dup().data().asFloat();
            int out = (int) layer.getParam("W").size(0);
            int patch = w.length / out;
            BitSet[] masks = new BitSet[out];
            long nonZeros = 0;
            for (int o = 0; o < out; o++) {
                masks[o] = new BitSet(patch);
                for (int c = 0; c < patch; c++) {
                    if (w[o * patch + c] != 0f) {
                        masks[o].set(c);
                        nonZeros++;
                    }
                }
            }
            if (nonZeros == 0 || out < ROWS) {
                continue;
            }
            double density = (double) nonZeros / w.length;
            int[] own = new int[out];
            for (int i = 0; i < out; i++) {
                own[i] = i;
            }
            System.out.printf(Locale.ROOT, "| %s | %d x %d | %.3f | %.3f | %.3f | %.3f |%n", layer.conf().getLayer()
                    .getLayerName(), out, patch, density, fill(masks, own, nonZeros), fill(masks, greedy(masks),
                            nonZeros), (1 - Math.pow(1 - density, ROWS)) / density);
        }
    }

    /** @return {@code ROWS * taps / nonZeros} over the whole blocks of {@code order} (the rest one row each) */
    private static double fill(BitSet[] masks, int[] order, long nonZeros) {
        long stored = 0;
        int b = 0;
        for (; b + ROWS <= order.length; b += ROWS) {
            BitSet union = new BitSet();
            for (int j = 0; j < ROWS; j++) {
                union.or(masks[order[b + j]]);
            }
            stored += (long) ROWS * union.cardinality();
        }
        for (; b < order.length; b++) {
            stored += masks[order[b]].cardinality();
        }
        return (double) stored / nonZeros;
    }

    /** @return an order whose blocks each grow their union of taps as little as a greedy choice can */
    private static int[] greedy(BitSet[] masks) {
        int n = masks.length;
        boolean[] used = new boolean[n];
        int[] order = new int[n];
        int k = 0;
        while (k + ROWS <= n) {
            int seed = -1;
            for (int i = 0; i < n; i++) {
                if (!used[i] && (seed < 0 || masks[i].cardinality() > masks[seed].cardinality())) {
                    seed = i;
                }
            }
            used[seed] = true;
            order[k++] = seed;
            BitSet union = (BitSet) masks[seed].clone();
            for (int j = 1; j < ROWS; j++) {
                int best = -1;
                int bestGrowth = Integer.MAX_VALUE;
                for (int i = 0; i < n; i++) {
                    if (!used[i]) {
                        BitSet added = (BitSet) masks[i].clone();
                        added.andNot(union);
                        if (added.cardinality() < bestGrowth) {
                            bestGrowth = added.cardinality();
                            best = i;
                        }
                    }
                }
                used[best] = true;
                order[k++] = best;
                union.or(masks[best]);
            }
        }
        for (int i = 0; i < n; i++) {
            if (!used[i]) {
                order[k++] = i;
            }
        }
        return order;
    }
}
