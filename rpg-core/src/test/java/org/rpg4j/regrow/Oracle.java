package org.rpg4j.regrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.rpg4j.mask.BruteForce;

/** Sort-based oracles for the regrowth tests. */
final class Oracle {
    private Oracle() {
    }

    /** Top count by (value desc, index asc) among allowed positions (all if null): {@link BruteForce#largest}. */
    static boolean[] largest(float[] values, int count, boolean[] allowed) {
        return BruteForce.largest(values, count, allowed);
    }

    static float[] activeMagnitudes(float[] w, boolean[] current, boolean[] post) {
        float[] m = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            m[i] = current[i] && post[i] ? Math.abs(w[i]) : 0f;
        }
        return m;
    }

    /** The grown set must be the top |score| positions outside the keep set. */
    static void assertTopScoresOutside(float[] scores, boolean[] grown, boolean[] keep) {
        float[] abs = new float[scores.length];
        boolean[] outside = new boolean[scores.length];
        int count = 0;
        for (int i = 0; i < scores.length; i++) {
            abs[i] = Math.abs(scores[i]);
            outside[i] = !keep[i];
            count += grown[i] ? 1 : 0;
        }
        assertArrayEquals(largest(abs, count, outside), grown, "grown = top |score| outside the keep set");
    }
}
