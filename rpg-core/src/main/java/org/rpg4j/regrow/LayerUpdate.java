package org.rpg4j.regrow;

/**
 * What a topology update did to one layer. Counts are over the layer's {@code size} positions.
 *
 * @param size layer size {@code N}
 * @param layerSparsity {@code S_l}: zeros / N of the post-threshold mask (of the current mask in a
 *     stationary update); the reference's {@code self.S[l]} and the vectors' {@code layerSparsity}
 * @param survivors true entries of the post-threshold mask, {@code N - zeros}
 * @param skipped true when {@code S_l <= 0}: no drop and grow (as the reference); the new mask is
 *     the post-threshold mask
 * @param quota the counts the regrowth fulfilled ({@code unchanged} when skipped)
 * @param kept true entries of the new mask ({@code K})
 * @param dropped positions in the post-threshold mask but not in the new mask
 * @param grown positions chosen by the grow criterion ({@code quota.growCount()}); includes
 *     survivors that were dropped by magnitude and grown back (they keep their values)
 * @param grownFromPruned positions in the new mask but not in the post-threshold mask; their
 *     weights start at 0
 */
public record LayerUpdate(int size, double layerSparsity, long survivors, boolean skipped, RegrowthQuota quota,
                          long kept, long dropped, long grown, long grownFromPruned) {
    /**
     * @param size see {@link #size()}
     * @param layerSparsity see {@link #layerSparsity()}
     * @param survivors see {@link #survivors()}
     * @param skipped see {@link #skipped()}
     * @param quota see {@link #quota()}
     * @param kept see {@link #kept()}
     * @param dropped see {@link #dropped()}
     * @param grown see {@link #grown()}
     * @param grownFromPruned see {@link #grownFromPruned()}
     * @throws IllegalArgumentException if {@code quota} is null
     */
    public LayerUpdate {
        if (quota == null) {
            throw new IllegalArgumentException("quota must not be null");
        }
    }
}
