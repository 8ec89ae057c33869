package org.rpg4j.regrow;

import java.util.SplittableRandom;

/** No drop and grow: the new mask is the mask it is given (plain gradual magnitude pruning). */
final class NoRegrowth implements Regrowth {
    @Override
    public boolean[] regrow(float[] magnitudes, boolean[] mask, float[] growScores, RegrowthQuota quota,
                            SplittableRandom random) {
        DropAndGrow.check(magnitudes, mask, quota);
        return mask.clone();
    }

    @Override
    public boolean requiresGrowScores() {
        return false;
    }

    @Override
    public RegrowthQuota quota(RegrowthQuota referenceQuota, int survivors) {
        return RegrowthQuota.unchanged(referenceQuota.size(), survivors);
    }

    @Override
    public String toString() {
        return "NONE";
    }
}
