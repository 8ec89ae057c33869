package org.rpg4j.mask;

/**
 * Exact, deterministic top-k selection over one flat float array in O(n) time (radix selection on
 * the float bits; no sorting).
 *
 * <p>Order: larger scores first; among equal scores the <b>lower flat index</b> first, so exactly
 * {@code count} positions are selected even when ties straddle the cut. {@code -0.0} and
 * {@code 0.0} are equal; infinities are ordinary values; a NaN anywhere in the scores is rejected.
 *
 * <p>Time O(n): two radix histogram passes and one marking pass over int keys of the scores (runs
 * in the calling thread); memory 768 KiB of histograms and, for n up to 65,536, an int array of n
 * keys (longer arrays are re-keyed in chunks of 65,536).
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
     * Selects the {@code count} largest magnitudes {@code |values[i]|} among the allowed positions,
     * a magnitude counting as 0 where {@code nonZero} is false: the same selection as {@link
     * #selectLargestWithin} on that array of magnitudes, without building it.
     *
     * @param values shape [n], signed; not modified
     * @param nonZero shape [n] or null; where false the magnitude counts as 0; not modified
     * @param count number of positions to select, in [0, number of allowed positions]
     * @param allowed shape [n]; only positions where it is true can be selected; not modified
     * @param selectedOut shape [n]; overwritten: true at exactly {@code count} positions
     * @throws IllegalArgumentException as {@link #selectLargestWithin}, or if {@code nonZero} has another length
     */
    public static void selectLargestMagnitudesWithin(float[] values, boolean[] nonZero, int count, boolean[] allowed,
                                                     boolean[] selectedOut) {
        if (allowed == null) {
            throw new IllegalArgumentException("allowed must not be null");
        }
        checkArrays("values", values, allowed, "allowed", selectedOut);
        if (nonZero != null && nonZero.length != values.length) {
            throw new IllegalArgumentException("nonZero must have the length of values (" + values.length
                    + "), got " + nonZero.length);
        }
        RadixCut.select(SelectionKeys.magnitudesOf("values", values, nonZero, allowed, true), count, "count",
                new boolean[][] {selectedOut}, null);
    }

    /**
     * Selects the {@code count} largest magnitudes {@code |values[i]|} among the positions not
     * excluded: the same selection as {@link #selectLargest(float[], int, boolean[], boolean[])} on
     * the array of magnitudes, without building it.
     *
     * @param values shape [n], signed; not modified
     * @param count number of positions to select, in [0, number of positions not excluded]
     * @param excluded shape [n] or null; positions where it is true are never selected; not modified
     * @param selectedOut shape [n]; overwritten: true at exactly {@code count} positions
     * @throws IllegalArgumentException as {@link #selectLargest(float[], int, boolean[], boolean[])}
     */
    public static void selectLargestMagnitudes(float[] values, int count, boolean[] excluded, boolean[] selectedOut) {
        checkArrays("values", values, excluded, "excluded", selectedOut);
        RadixCut.select(SelectionKeys.magnitudesOf("values", values, null, excluded, false), count, "count",
                new boolean[][] {selectedOut}, null);
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
        checkArrays("scores", scores, filter, filterName, out);
        RadixCut.select(SelectionKeys.values("scores", scores, filter, filterKeeps), count, "count",
                new boolean[][] {out}, null);
    }

    private static void checkArrays(String name, float[] scores, boolean[] filter, String filterName, boolean[] out) {
        if (scores == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (out == null) {
            throw new IllegalArgumentException("selectedOut must not be null");
        }
        if (out.length != scores.length) {
            throw new IllegalArgumentException("selectedOut must have the length of " + name + " (" + scores.length
                    + "), got " + out.length);
        }
        if (filter != null && filter.length != scores.length) {
            throw new IllegalArgumentException(filterName + " must have the length of " + name + " ("
                    + scores.length + "), got " + filter.length);
        }
    }
}
