package org.rpg4j.regrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Sort-based oracles for the regrowth tests. */
final class Oracle {
    private Oracle() {
    }

    /** Top count by (value desc, index asc) among allowed positions (all if null). */
    static boolean[] largest(float[] values, int count, boolean[] allowed) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (allowed == null || allowed[i]) {
                idx.add(i);
            }
        }
        idx.sort(Comparator.<Integer>comparingDouble(i -> -(values[i] + 0.0f)).thenComparingInt(i -> i));
        boolean[] out = new boolean[values.length];
        for (int j = 0; j < count; j++) {
            out[idx.get(j)] = true;
        }
        return out;
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
