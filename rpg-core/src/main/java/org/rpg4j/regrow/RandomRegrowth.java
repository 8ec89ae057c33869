package org.rpg4j.regrow;

import java.util.SplittableRandom;

/**
 * Keep the {@code nKeep} largest {@code |w|} of the active positions (as {@link GradientRegrowth}),
 * then grow {@code nGrow} positions chosen uniformly at random among the rest (SET-style, for
 * comparison). Sampling is Knuth's selection sampling (Algorithm S) in index order: O(N), one
 * random draw per candidate, reproducible from the state of {@code random}.
 */
final class RandomRegrowth implements Regrowth {
    @Override
    public boolean[] regrow(float[] magnitudes, boolean[] mask, float[] growScores, RegrowthQuota quota,
                            SplittableRandom random) {
        DropAndGrow.check(magnitudes, mask, quota);
        if (random == null) {
            throw new IllegalArgumentException("random must not be null for random regrowth");
        }
        boolean[] keep = DropAndGrow.keepByMagnitude(magnitudes, mask, quota);
        boolean[] grow = new boolean[magnitudes.length];
        int candidates = magnitudes.length - quota.keepCount();
        int needed = quota.growCount();
        for (int i = 0; i < keep.length && needed > 0; i++) {
            if (!keep[i]) {
                // select with probability needed / candidates left: every subset equally likely
                if (random.nextInt(candidates) < needed) {
                    grow[i] = true;
                    needed--;
                }
                candidates--;
            }
        }
        return DropAndGrow.union(keep, grow);
    }

    @Override
    public boolean requiresGrowScores() {
        return false;
    }

    @Override
    public String toString() {
        return "RANDOM";
    }
}
