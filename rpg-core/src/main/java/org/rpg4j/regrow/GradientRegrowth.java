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

    @Override
    public String toString() {
        return "GRADIENT";
    }
}
