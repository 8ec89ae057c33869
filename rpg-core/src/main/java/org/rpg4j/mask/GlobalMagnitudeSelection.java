package org.rpg4j.mask;

import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Global magnitude pruning: one threshold over {@code |w|} of all tensors together, as the RPG
 * reference ({@code RigLScheduler.sorted_init_sparsify}) runs it.
 *
 * <p><b>Counting.</b> For {@code N} weights in total and a sparsity {@code s}, the reference prunes
 * {@code kk = round(s * N)} (Python's round: half to even, {@link Math#rint}), takes the threshold
 * {@code thr} = the kk-th smallest {@code |w|} over the concatenation of all tensors, and keeps
 * every weight with {@code |w| >= thr}. With distinct magnitudes that keeps {@code N - kk + 1}
 * weights (the kk-th smallest itself survives), and this class keeps <b>exactly</b> that many:
 * the {@code N - kk + 1} largest magnitudes, ties at the threshold broken in favour of the lower
 * flat index (C order within a tensor, tensors concatenated in list order). When {@code kk == 0}
 * all {@code N} weights are kept and the threshold is 0 (also when {@code s != 0}, where the
 * reference would fail). With ties at the threshold the reference would keep more than
 * {@code N - kk + 1}; in particular, if more than {@code kk} magnitudes are exactly 0 its
 * threshold becomes 0 and it keeps everything. rpg4j keeps the exact count instead, so the result
 * is deterministic and a run can never fall back to dense.
 *
 * <p><b>Exclusions.</b> Tensors that must stay dense are simply not passed in; they do not count
 * in {@code N}.
 *
 * <p><b>Caps.</b> {@code maxSparsity[l]} (1.0 = uncapped) lets tensor {@code l} lose at most
 * {@code floor(maxSparsity[l] * N_l)} weights, i.e. keep at least
 * {@code floor_l = N_l - floor(maxSparsity[l] * N_l)}. The global cut is found by water-filling:
 * a tensor that would keep fewer than {@code floor_l} under the cut is held at its cap (it keeps
 * its own {@code floor_l} largest magnitudes) and the remaining keep budget
 * {@code target - sum of floors of held tensors} is re-cut over the other tensors (target =
 * {@code N - kk + 1}, or {@code N} when {@code kk == 0}); repeated until no further tensor is held.
 * Equivalently: weights are pruned in increasing order of {@code |w|} (ties: higher flat index
 * first), skipping tensors that have reached their cap, until {@code N - target} are pruned. The
 * total kept count is exactly the target unless the floors alone exceed it (then every capped
 * tensor keeps its floor and the uncapped ones keep nothing).
 *
 * <p>Time O(N) per round (at most one round per capped tensor): three passes that recompute int
 * keys of {@code |w|} chunk by chunk (two radix histograms, one marking pass), with the tensors
 * split into groups that run in parallel on the common fork-join pool. Memory: the returned masks
 * plus small per-group buffers. At most {@link Integer#MAX_VALUE} weights in total.
 */
public final class GlobalMagnitudeSelection {
    private static final Logger LOG = LoggerFactory.getLogger(GlobalMagnitudeSelection.class);

    private GlobalMagnitudeSelection() {
    }

    /**
     * @param n total number of weights, {@code >= 0}
     * @param sparsity fraction to prune, in [0, 1)
     * @return {@code kk = rint(sparsity * n)} (round half to even, as Python's {@code round})
     * @throws IllegalArgumentException if {@code n < 0} or {@code sparsity} is outside [0, 1)
     */
    public static long pruneCount(long n, double sparsity) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        Checks.sparsity("sparsity", sparsity);
        return (long) Math.rint(sparsity * n);
    }

    /**
     * @param n total number of weights, {@code >= 0}
     * @param sparsity fraction to prune, in [0, 1)
     * @return the number of weights the global threshold keeps: {@code n - kk + 1} when
     *     {@code kk = pruneCount(n, sparsity) >= 1}, else {@code n}
     */
    public static long keptCount(long n, double sparsity) {
        long kk = pruneCount(n, sparsity);
        return kk == 0 ? n : n - kk + 1;
    }

    /**
     * Uncapped global magnitude masks.
     *
     * @param weights one flat array per tensor (C order of its logical shape); not modified
     * @param sparsity fraction to prune, in [0, 1)
     * @return one fresh mask per tensor, true where kept; {@code keptCount(N, sparsity)} true in total
     * @throws IllegalArgumentException if {@code weights} is null, empty or holds a null tensor, a
     *     weight is NaN, or {@code sparsity} is outside [0, 1)
     */
    public static boolean[][] keepMasks(float[][] weights, double sparsity) {
        return select(weights, null, sparsity, null).masks();
    }

    /**
     * Global magnitude masks honouring per-tensor caps (see the class javadoc for the exact rule).
     *
     * @param weights one flat array per tensor; not modified
     * @param sparsity fraction to prune, in [0, 1)
     * @param maxSparsity null, or one cap per tensor in [0, 1] (1.0 = uncapped, 0.0 = keep dense)
     * @return one fresh mask per tensor, true where kept
     * @throws IllegalArgumentException as {@link #keepMasks(float[][], double)}, or if a cap is out
     *     of range or the number of caps differs from the number of tensors
     */
    public static boolean[][] keepMasks(float[][] weights, double sparsity, double[] maxSparsity) {
        return select(weights, null, sparsity, maxSparsity).masks();
    }

    /**
     * Global magnitude selection with its threshold.
     *
     * @param weights one flat array per tensor; not modified
     * @param activeMasks null, or one mask per tensor of the same lengths: positions where it is
     *     false are ranked as {@code |w| = 0} (they are pruned; the reference holds them at exactly
     *     0). Not modified.
     * @param sparsity fraction to prune, in [0, 1)
     * @param maxSparsity null, or one cap per tensor in [0, 1] (1.0 = uncapped)
     * @return masks, kept count and threshold (see {@link MaskSelection#threshold()})
     * @throws IllegalArgumentException if an argument is null where not allowed, lengths differ, a
     *     weight is NaN, or a value is out of range
     */
    public static MaskSelection select(float[][] weights, boolean[][] activeMasks, double sparsity,
                                       double[] maxSparsity) {
        Checks.tensors("weights", weights);
        Checks.masksFit("activeMasks", activeMasks, weights);
        Checks.sparsity("sparsity", sparsity);
        Checks.caps(maxSparsity, weights.length);
        int layers = weights.length;
        long n = 0;
        long[] floorKeep = new long[layers];
        boolean[][] masks = new boolean[layers][];
        for (int l = 0; l < layers; l++) {
            int size = weights[l].length;
            n += size;
            masks[l] = new boolean[size];
            floorKeep[l] = maxSparsity == null ? 0 : size - (long) Math.floor(maxSparsity[l] * size);
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("weights must hold at most " + Integer.MAX_VALUE
                    + " values in total (the selection counts in int), got " + n);
        }
        long kk = pruneCount(n, sparsity);
        long keepTarget = kk == 0 ? n : n - kk + 1;
        boolean[] inPool = new boolean[layers];
        java.util.Arrays.fill(inPool, true);
        long[] kept = new long[layers];
        long poolTarget;
        int cut;
        int rounds = 0;
        do {
            rounds++;
            long held = 0;
            for (int l = 0; l < layers; l++) {
                held += inPool[l] ? 0 : floorKeep[l];
            }
            long poolSize = 0;
            for (int l = 0; l < layers; l++) {
                poolSize += inPool[l] ? weights[l].length : 0;
            }
            poolTarget = Math.min(Math.max(0, keepTarget - held), poolSize);
            cut = RadixCut.select(SelectionKeys.magnitudes("weights", weights, activeMasks, inPool), poolTarget,
                    "keep count", masks, kept);
        } while (holdTensorsBelowFloor(inPool, kept, floorKeep));
        long keptTotal = poolTarget;
        for (int l = 0; l < layers; l++) {
            if (!inPool[l]) {
                keepLargest(weights, activeMasks, l, floorKeep[l], masks[l]);
                keptTotal += floorKeep[l];
            }
        }
        double threshold = kk == 0 ? 0.0
                : poolTarget == 0 ? Double.POSITIVE_INFINITY : SelectionKeys.valueOfKey(cut);
        LOG.debug("global magnitude selection: N={}, sparsity={}, kk={}, kept={}, threshold={}, rounds={}",
                n, sparsity, kk, keptTotal, threshold, rounds);
        return new MaskSelection(masks, keptTotal, OptionalDouble.of(threshold));
    }

    /** Moves pool tensors that keep fewer than their floor out of the pool; @return true if any moved. */
    private static boolean holdTensorsBelowFloor(boolean[] inPool, long[] kept, long[] floorKeep) {
        boolean moved = false;
        for (int l = 0; l < inPool.length; l++) {
            if (inPool[l] && kept[l] < floorKeep[l]) {
                inPool[l] = false;
                moved = true;
            }
        }
        return moved;
    }

    /** Keeps the {@code count} largest magnitudes of tensor {@code l} (ties: lower index) in {@code out}. */
    static void keepLargest(float[][] weights, boolean[][] activeMasks, int l, long count, boolean[] out) {
        RadixCut.select(SelectionKeys.magnitudes("weights[" + l + "]", new float[][] {weights[l]},
                activeMasks == null ? null : new boolean[][] {activeMasks[l]}, null), count, "keep count",
                new boolean[][] {out}, null);
    }
}
