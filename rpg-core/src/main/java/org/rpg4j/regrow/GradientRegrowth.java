package org.rpg4j.regrow;

import java.util.SplittableRandom;
import org.rpg4j.mask.TopKSelection;

/**
 * The reference criterion (RigL, Evci et al. 2020, as {@code RigL.py: _rigl_step} runs it): keep
 * the {@code nKeep} largest {@code |w|} of the active positions, then grow the {@code nGrow}
 * positions outside that keep set with the largest grow score ({@code |dense gradient|}); ties go
 * to the lower flat index.
 */
final class GradientRegrowth implements Regrowth {
    @Override
    public boolean[] regrow(float[] magnitudes, boolean[] mask, float[] growScores, RegrowthQuota quota,
                            SplittableRandom random) {
        DropAndGrow.check(magnitudes, mask, quota);
        DropAndGrow.checkScores(growScores, magnitudes.length);
        boolean[] keep = DropAndGrow.keepByMagnitude(magnitudes, mask, quota);
        boolean[] grow = new boolean[magnitudes.length];
        TopKSelection.selectLargest(growScores, quota.growCount(), keep, grow);
        return DropAndGrow.union(keep, grow);
    }

    /**
     * The same mask as {@link #regrow} on {@code magnitudes = |weights|} where {@code current} and
     * {@code post} hold (else 0), {@code mask = post} and {@code growScores = |scores|}, without
     * building those three full-size arrays: the selections read the signed weights and scores.
     *
     * @param weights the layer's signed weights; not modified
     * @param current the mask before the update; not modified
     * @param post the post-threshold mask; not modified
     * @param scores the signed grow scores, not null; not modified
     * @param quota how many positions to keep by magnitude and how many to grow
     * @return a new mask with exactly {@code quota.activeCount()} true entries
     */
    static boolean[] regrowFromSigned(float[] weights, boolean[] current, boolean[] post, float[] scores,
                                      RegrowthQuota quota) {
        DropAndGrow.check(weights, post, quota);
        DropAndGrow.checkScores(scores, weights.length);
        boolean[] keep = new boolean[weights.length];
        TopKSelection.selectLargestMagnitudesWithin(weights, current, quota.keepCount(), post, keep);
        boolean[] grow = new boolean[weights.length];
        TopKSelection.selectLargestMagnitudes(scores, quota.growCount(), keep, grow);
        return DropAndGrow.union(keep, grow);
    }

    @Override
    public String toString() {
        return "GRADIENT";
    }
}
