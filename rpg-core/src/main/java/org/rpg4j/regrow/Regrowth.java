package org.rpg4j.regrow;

import java.util.SplittableRandom;

/**
 * A drop-and-grow criterion for ONE layer at a topology update. Users may implement it; the
 * built-in criteria are {@link RegrowthKind}. All arrays are flat, in C order of the layer's
 * logical shape, of the same length {@code N}.
 *
 * <p>Contract: return a new mask with exactly {@code quota.activeCount()} true entries (checked by
 * {@link TopologyUpdate}, which throws {@link IllegalStateException} otherwise); leave the inputs
 * unmodified; be deterministic given the inputs and the state of {@code random}; be thread-safe:
 * {@link TopologyUpdate} calls it for different layers concurrently, each with its own random
 * stream.
 */
public interface Regrowth {
    /**
     * @param magnitudes shape [N], {@code |w|} with positions outside {@code mask} already 0; not modified
     * @param mask shape [N], the active positions before drop and grow: the post-threshold mask, or
     *     the current mask in a stationary update; not modified
     * @param growScores shape [N], {@code |dense gradient|} (including any rank-loss term), all
     *     finite and {@code >= 0}; null when {@link #requiresGrowScores()} is false and none were given
     * @param quota how many positions to keep by magnitude and how many to grow
     * @param random the update's random stream (used by randomised criteria)
     * @return a new mask of shape [N] with exactly {@code quota.activeCount()} true entries
     * @throws IllegalArgumentException if the inputs do not fit each other or the quota
     */
    boolean[] regrow(float[] magnitudes, boolean[] mask, float[] growScores, RegrowthQuota quota,
                     SplittableRandom random);

    /** @return true if {@link #regrow} needs {@code growScores} (default) */
    default boolean requiresGrowScores() {
        return true;
    }

    /**
     * @param referenceQuota the quota of the reference arithmetic ({@link RegrowthQuota#reference}
     *     or {@link RegrowthQuota#stationary})
     * @param survivors active positions of {@code mask} before drop and grow
     * @return the quota this criterion fulfils (default: {@code referenceQuota})
     */
    default RegrowthQuota quota(RegrowthQuota referenceQuota, int survivors) {
        return referenceQuota;
    }
}
