package org.rpg4j.regrow;

import org.rpg4j.mask.TopKSelection;

/** Steps shared by the built-in criteria: input checks and the magnitude keep set. */
final class DropAndGrow {
    private DropAndGrow() {
    }

    static void check(float[] magnitudes, boolean[] mask, RegrowthQuota quota) {
        if (magnitudes == null || mask == null || quota == null) {
            throw new IllegalArgumentException("magnitudes, mask and quota must not be null");
        }
        if (mask.length != magnitudes.length || quota.size() != magnitudes.length) {
            throw new IllegalArgumentException("mask and quota.size must match magnitudes.length ("
                    + magnitudes.length + "), got mask.length=" + mask.length + ", quota.size=" + quota.size());
        }
    }

    static void checkScores(float[] growScores, int n) {
        if (growScores == null || growScores.length != n) {
            throw new IllegalArgumentException("growScores must have length " + n + ", got "
                    + (growScores == null ? "null" : String.valueOf(growScores.length)));
        }
    }

    /**
     * @return the {@code quota.keepCount()} largest magnitudes among the active positions of
     *     {@code mask} (ties: lower index). The reference ranks the whole layer, where pruned
     *     positions hold 0; the two agree unless the keep set reaches zero magnitudes.
     * @throws IllegalArgumentException if {@code mask} has fewer active positions than the keep count
     */
    static boolean[] keepByMagnitude(float[] magnitudes, boolean[] mask, RegrowthQuota quota) {
        boolean[] keep = new boolean[magnitudes.length];
        TopKSelection.selectLargestWithin(magnitudes, quota.keepCount(), mask, keep);
        return keep;
    }

    /** @return {@code keep} with {@code grow} added (in place) */
    static boolean[] union(boolean[] keep, boolean[] grow) {
        for (int i = 0; i < keep.length; i++) {
            keep[i] |= grow[i];
        }
        return keep;
    }
}
