package org.rpg4j.mask;

import java.util.OptionalDouble;

/**
 * The outcome of a magnitude prune over a list of tensors.
 *
 * @param masks one mask per tensor, in input order, each of its tensor's flat length (C order of
 *     the logical shape): true where the weight is kept. Freshly allocated and owned by the caller.
 * @param keptCount number of true entries over all masks
 * @param threshold for a global budget, the magnitude cut: the smallest {@code |w|} kept by the
 *     global threshold among tensors not held at their cap, 0 when nothing is pruned (the reference
 *     convention), {@code +Infinity} when caps leave the uncapped tensors nothing to keep; empty for
 *     per-layer budgets
 */
public record MaskSelection(boolean[][] masks, long keptCount, OptionalDouble threshold) {
    /**
     * @param masks see {@link #masks()}
     * @param keptCount see {@link #keptCount()}
     * @param threshold see {@link #threshold()}
     * @throws IllegalArgumentException if {@code masks} or {@code threshold} is null or the count is negative
     */
    public MaskSelection {
        if (masks == null || threshold == null) {
            throw new IllegalArgumentException("masks and threshold must not be null");
        }
        if (keptCount < 0) {
            throw new IllegalArgumentException("keptCount must be >= 0, got " + keptCount);
        }
    }
}
