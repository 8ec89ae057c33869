package org.rpg4j.mask;

/**
 * Exact, deterministic top-k selection over one flat float array in O(n) time (radix selection on
 * the float bits; no sorting).
 *
 * <p>Order: larger scores first; among equal scores the <b>lower flat index</b> first, so exactly
 * {@code count} positions are selected even when ties straddle the cut. {@code -0.0} and
 * {@code 0.0} are equal; infinities are ordinary values; a NaN anywhere in the scores is rejected.
 *
 * <p>Time O(n): one pass computing int keys, two radix histogram passes, one marking pass (runs
 * in the calling thread); memory an int array of n keys and 768 KiB of histograms.
 */
public final class TopKSelection {
    private TopKSelection() {
    }

    /**
     * Selects the {@code count} largest scores among the positions not excluded.
     *
     * @param scores shape [n], any finite or infinite values; not modified
     * @param count number of positions to select, in [0, number of positions not excluded]
     * @param excluded shape [n] or null; positions where it is true are never selected; not modified
     * @param selectedOut shape [n]; overwritten: true at exactly {@code count} positions
     * @throws IllegalArgumentException if an array is null (other than {@code excluded}), lengths
     *     differ, {@code count} is out of range, or a score is NaN
     */
    public static void selectLargest(float[] scores, int count, boolean[] excluded, boolean[] selectedOut) {
        select(scores, count, excluded, false, "excluded", selectedOut);
    }

    /**
     * Selects the {@code count} largest scores among the allowed positions.
     *
     * @param scores shape [n]; not modified
     * @param count number of positions to select, in [0, number of allowed positions]
     * @param allowed shape [n]; only positions where it is true can be selected; not modified
     * @param selectedOut shape [n]; overwritten: true at exactly {@code count} positions
     * @throws IllegalArgumentException as {@link #selectLargest(float[], int, boolean[], boolean[])}
     */
    public static void selectLargestWithin(float[] scores, int count, boolean[] allowed, boolean[] selectedOut) {
        if (allowed == null) {
            throw new IllegalArgumentException("allowed must not be null (use selectLargest to allow every position)");
        }
        select(scores, count, allowed, true, "allowed", selectedOut);
    }

    /**
     * Convenience form of {@link #selectLargest(float[], int, boolean[], boolean[])}.
     *
     * @param scores shape [n]; not modified
     * @param count number of positions to select, in [0, n]
     * @return a new mask of shape [n], true at exactly {@code count} positions
     */
    public static boolean[] selectLargest(float[] scores, int count) {
        if (scores == null) {
            throw new IllegalArgumentException("scores must not be null");
        }
        boolean[] out = new boolean[scores.length];
        selectLargest(scores, count, null, out);
        return out;
    }

    private static void select(float[] scores, int count, boolean[] filter, boolean filterKeeps, String filterName,
                               boolean[] out) {
        if (scores == null) {
            throw new IllegalArgumentException("scores must not be null");
        }
        if (out == null) {
            throw new IllegalArgumentException("selectedOut must not be null");
        }
        if (out.length != scores.length) {
            throw new IllegalArgumentException("selectedOut must have the length of scores (" + scores.length
                    + "), got " + out.length);
        }
        if (filter != null && filter.length != scores.length) {
            throw new IllegalArgumentException(filterName + " must have the length of scores (" + scores.length
                    + "), got " + filter.length);
        }
        RadixCut.select(SelectionKeys.values("scores", scores, filter, filterKeeps), count, "count",
                new boolean[][] {out}, null);
    }
}
