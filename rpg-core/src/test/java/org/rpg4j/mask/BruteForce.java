package org.rpg4j.mask;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Slow, obviously correct oracles (full sorts) for the selection tests (and the regrowth tests' oracle). */
public final class BruteForce {
    private BruteForce() {
    }

    /**
     * Top count by (value desc, index asc) among eligible positions; -0.0 equals 0.0.
     *
     * @param values the values
     * @param count how many to select
     * @param eligible the positions that may be selected, or null for all
     * @return the selected positions
     */
    public static boolean[] largest(float[] values, int count, boolean[] eligible) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (eligible == null || eligible[i]) {
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

    /** Global magnitude masks: top keep by (|w| desc, global index asc), inactive positions rank as 0. */
    static boolean[][] globalKeep(float[][] weights, boolean[][] active, long keep) {
        float[] all = concatMagnitudes(weights, active);
        boolean[] flat = largest(all, (int) keep, null);
        return split(flat, weights);
    }

    /**
     * Capped global prune by greedy: walk positions in ascending (|w|, then descending global
     * index) order, i.e. the reverse of the keep order, pruning each unless its tensor has reached
     * its cap, until {@code prune} positions are pruned.
     */
    static boolean[][] cappedGlobalKeep(float[][] weights, long prune, double[] caps) {
        float[] all = concatMagnitudes(weights, null);
        int[] owner = new int[all.length];
        int p = 0;
        long[] maxPruned = new long[weights.length];
        for (int t = 0; t < weights.length; t++) {
            maxPruned[t] = (long) Math.floor(caps[t] * weights[t].length);
            for (int i = 0; i < weights[t].length; i++) {
                owner[p++] = t;
            }
        }
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < all.length; i++) {
            idx.add(i);
        }
        idx.sort(Comparator.<Integer>comparingDouble(i -> all[i]).thenComparingInt(i -> -i));
        boolean[] flat = new boolean[all.length];
        java.util.Arrays.fill(flat, true);
        long[] pruned = new long[weights.length];
        long done = 0;
        for (int i : idx) {
            if (done == prune) {
                break;
            }
            if (pruned[owner[i]] < maxPruned[owner[i]]) {
                flat[i] = false;
                pruned[owner[i]]++;
                done++;
            }
        }
        return split(flat, weights);
    }

    static float[] concatMagnitudes(float[][] weights, boolean[][] active) {
        int n = 0;
        for (float[] w : weights) {
            n += w.length;
        }
        float[] all = new float[n];
        int p = 0;
        for (int t = 0; t < weights.length; t++) {
            for (int i = 0; i < weights[t].length; i++) {
                all[p++] = active != null && !active[t][i] ? 0f : Math.abs(weights[t][i]);
            }
        }
        return all;
    }

    static boolean[][] split(boolean[] flat, float[][] like) {
        boolean[][] out = new boolean[like.length][];
        int p = 0;
        for (int t = 0; t < like.length; t++) {
            out[t] = java.util.Arrays.copyOfRange(flat, p, p + like[t].length);
            p += like[t].length;
        }
        return out;
    }

    static long count(boolean[][] masks) {
        long c = 0;
        for (boolean[] m : masks) {
            c += MaskCounts.count(m);
        }
        return c;
    }

    static float[][] deepCopy(float[][] a) {
        float[][] c = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    /** Random values from a small set (many ties), with signs and signed zeros. */
    static float[] tiedValues(java.util.SplittableRandom rnd, int n, int distinct) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            int k = rnd.nextInt(distinct);
            float x = k == 0 ? (rnd.nextBoolean() ? 0.0f : -0.0f) : k * 0.25f;
            v[i] = rnd.nextBoolean() ? x : -x;
        }
        return v;
    }
}
