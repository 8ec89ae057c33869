package org.rpg4j.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GlobalMagnitudeSelectionTest {

    @Test
    void tenWeightsHandComputed() {
        // |w| over the concatenation: 0.1 0.9 0.4 0.6 | 0.2 0.8 0.3 | 0.5 0.7 1.0
        // sparsity 0.3: kk = rint(0.3 * 10) = 3, threshold = 3rd smallest |w| = 0.3,
        // kept = |w| >= 0.3: N - kk + 1 = 8 weights (only 0.1 and 0.2 pruned)
        float[][] w = {{0.1f, -0.9f, 0.4f, -0.6f}, {0.2f, 0.8f, -0.3f}, {0.5f, -0.7f, 1.0f}};
        MaskSelection s = GlobalMagnitudeSelection.select(w, null, 0.3, null);
        assertArrayEquals(new boolean[] {false, true, true, true}, s.masks()[0]);
        assertArrayEquals(new boolean[] {false, true, true}, s.masks()[1]);
        assertArrayEquals(new boolean[] {true, true, true}, s.masks()[2]);
        assertEquals(8, s.keptCount());
        assertEquals(0.3f, (float) s.threshold().getAsDouble());
    }

    @Test
    void tiesAtTheThresholdKeepTheLowerIndices() {
        // |w| = 0.5 0.2 0.5 | 0.5 0.9; sparsity 0.4: kk = 2, threshold = 2nd smallest = 0.5.
        // The reference keeps all four |w| >= 0.5; rpg4j keeps exactly N - kk + 1 = 4, ties to the
        // lower flat index: here the four are exactly the >= 0.5 ones. With sparsity 0.6: kk = 3,
        // keep 3 = {0.9} plus the first two 0.5s in global order (indices 0 and 2 of tensor 0).
        float[][] w = {{0.5f, 0.2f, -0.5f}, {0.5f, 0.9f}};
        boolean[][] m = GlobalMagnitudeSelection.keepMasks(w, 0.6);
        assertArrayEquals(new boolean[] {true, false, true}, m[0]);
        assertArrayEquals(new boolean[] {false, true}, m[1]);
        assertEquals(4, BruteForce.count(GlobalMagnitudeSelection.keepMasks(w, 0.4)));
    }

    @Test
    void zeroPruneCountKeepsEverythingWithThresholdZero() {
        // 5 weights, sparsity 0.05: kk = rint(0.25) = 0 -> all kept, threshold 0 (reference: sparsity 0)
        float[][] w = {{1f, 2f}, {3f, 4f, 5f}};
        MaskSelection s = GlobalMagnitudeSelection.select(w, null, 0.05, null);
        assertEquals(5, s.keptCount());
        assertEquals(0.0, s.threshold().getAsDouble());
        assertEquals(5, GlobalMagnitudeSelection.select(w, null, 0.0, null).keptCount());
    }

    @Test
    void pruneCountRoundsHalfToEven() {
        assertEquals(2, GlobalMagnitudeSelection.pruneCount(10, 0.25)); // 2.5 -> 2
        assertEquals(2, GlobalMagnitudeSelection.pruneCount(2, 0.75)); // 1.5 -> 2
        assertEquals(2, GlobalMagnitudeSelection.pruneCount(5, 0.5)); // 2.5 -> 2
        assertEquals(4, GlobalMagnitudeSelection.pruneCount(7, 0.5)); // 3.5 -> 4
        assertEquals(9, GlobalMagnitudeSelection.keptCount(10, 0.25)); // 10 - 2 + 1
        assertEquals(10, GlobalMagnitudeSelection.keptCount(10, 0.01)); // kk = 0
    }

    @Test
    void inactivePositionsRankAsZero() {
        // |w| = 3 1 2 with position 0 inactive -> ranks 0, 1, 2; sparsity 0.5: kk = rint(1.5) = 2,
        // keep N - kk + 1 = 2: positions 1 and 2
        float[][] w = {{3f, 1f, 2f}};
        MaskSelection s = GlobalMagnitudeSelection.select(w, new boolean[][] {{false, true, true}}, 0.5, null);
        assertArrayEquals(new boolean[] {false, true, true}, s.masks()[0]);
        assertEquals(1.0, s.threshold().getAsDouble());
    }

    @Test
    void capsHoldLayersAndRedistributeTheBudget() {
        // tensor 0: |w| 1 2 3 4 (cap 0.25 -> may lose floor(1.0) = 1, keeps >= 3)
        // tensor 1: |w| 5 6 7 8 (uncapped)
        // sparsity 0.5: kk = 4, keep N - kk + 1 = 5. Uncapped cut keeps 4..8, tensor 0 would lose 3.
        // Tensor 0 is held at its floor (keeps 2 3 4), leaving 5 - 3 = 2 for tensor 1: keeps 7 8.
        float[][] w = {{1f, 2f, 3f, 4f}, {5f, 6f, 7f, 8f}};
        MaskSelection s = GlobalMagnitudeSelection.select(w, null, 0.5, new double[] {0.25, 1.0});
        assertArrayEquals(new boolean[] {false, true, true, true}, s.masks()[0]);
        assertArrayEquals(new boolean[] {false, false, true, true}, s.masks()[1]);
        assertEquals(5, s.keptCount());
        assertEquals(7.0, s.threshold().getAsDouble());
    }

    @Test
    void matchesFullSortOnRandomTensors() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int trial = 0; trial < 200; trial++) {
            float[][] w = randomTensors(rnd, trial);
            boolean[][] active = trial % 2 == 0 ? null : randomMasks(rnd, w);
            double sparsity = rnd.nextDouble() * 0.999;
            long n = BruteForce.concatMagnitudes(w, null).length;
            long kk = GlobalMagnitudeSelection.pruneCount(n, sparsity);
            float[][] copy = BruteForce.deepCopy(w);
            MaskSelection s = GlobalMagnitudeSelection.select(w, active, sparsity, null);
            long expectedKept = kk == 0 ? n : n - kk + 1;
            assertEquals(expectedKept, s.keptCount());
            assertEquals(expectedKept, BruteForce.count(s.masks()));
            boolean[][] expected = BruteForce.globalKeep(w, active, expectedKept);
            for (int t = 0; t < w.length; t++) {
                assertArrayEquals(expected[t], s.masks()[t], "trial " + trial + " tensor " + t);
                assertArrayEquals(copy[t], w[t], "weights must be unmodified");
            }
            if (kk >= 1) {
                float[] sorted = BruteForce.concatMagnitudes(w, active);
                java.util.Arrays.sort(sorted);
                assertEquals(sorted[(int) kk - 1], (float) s.threshold().getAsDouble(), "kk-th smallest");
            }
        }
    }

    @Test
    void cappedSelectionMatchesGreedyOracleAndRespectsCaps() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int trial = 0; trial < 200; trial++) {
            float[][] w = randomTensors(rnd, trial);
            double[] caps = new double[w.length];
            for (int t = 0; t < w.length; t++) {
                caps[t] = rnd.nextInt(3) == 0 ? 1.0 : rnd.nextDouble();
            }
            double sparsity = rnd.nextDouble() * 0.999;
            long n = BruteForce.concatMagnitudes(w, null).length;
            long kk = GlobalMagnitudeSelection.pruneCount(n, sparsity);
            long prune = kk == 0 ? 0 : kk - 1;
            MaskSelection s = GlobalMagnitudeSelection.select(w, null, sparsity, caps);
            boolean[][] expected = BruteForce.cappedGlobalKeep(w, prune, caps);
            long floors = 0;
            for (int t = 0; t < w.length; t++) {
                assertArrayEquals(expected[t], s.masks()[t], "trial " + trial + " tensor " + t);
                long pruned = w[t].length - MaskCounts.count(s.masks()[t]);
                assertTrue(pruned <= Math.floor(caps[t] * w[t].length), "cap of tensor " + t);
                floors += w[t].length - (long) Math.floor(caps[t] * w[t].length);
            }
            assertEquals(Math.max(n - prune, floors), s.keptCount());
            assertEquals(s.keptCount(), BruteForce.count(s.masks()));
        }
    }

    @Test
    void parallelGroupsAgreeWithOneConcatenatedArray() {
        // 3M weights in 3 tensors, magnitudes from 6 values (huge ties at every cut): the global
        // selection splits the tensors into groups run in parallel; it must equal the top-k of the
        // concatenation taken as one array (the single-array path, checked against full sorts above).
        SplittableRandom rnd = new SplittableRandom(19);
        float[][] w = {BruteForce.tiedValues(rnd, 1_200_000, 6), BruteForce.tiedValues(rnd, 700_000, 6),
                BruteForce.tiedValues(rnd, 1_100_000, 6)};
        boolean[][] active = randomMasks(rnd, w);
        for (double sparsity : new double[] {0.3, 0.77}) {
            MaskSelection s = GlobalMagnitudeSelection.select(w, active, sparsity, null);
            float[] concat = BruteForce.concatMagnitudes(w, active);
            boolean[] expected = TopKSelection.selectLargest(concat, (int) s.keptCount());
            assertEquals(GlobalMagnitudeSelection.keptCount(concat.length, sparsity), s.keptCount());
            boolean[][] split = BruteForce.split(expected, w);
            for (int t = 0; t < w.length; t++) {
                assertArrayEquals(split[t], s.masks()[t], "sparsity " + sparsity + " tensor " + t);
            }
        }
    }

    @Test
    void rejectsSparsityOutsideHalfOpenUnitInterval() {
        float[][] w = {{1f}};
        for (double bad : new double[] {-0.1, 1.0, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GlobalMagnitudeSelection.keepMasks(w, bad));
            assertTrue(e.getMessage().contains("sparsity") && e.getMessage().contains("[0, 1)")
                    && e.getMessage().contains(String.valueOf(bad)), e.getMessage());
        }
    }

    @Test
    void rejectsNullOrEmptyTensorSets() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GlobalMagnitudeSelection.keepMasks(null, 0.5));
        assertTrue(e.getMessage().contains("weights"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GlobalMagnitudeSelection.keepMasks(new float[0][], 0.5));
        assertTrue(e.getMessage().contains("at least one tensor"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> GlobalMagnitudeSelection.keepMasks(new float[][] {{1f}, null}, 0.5));
        assertTrue(e.getMessage().contains("weights[1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> GlobalMagnitudeSelection.keepMasks(new float[][] {{1f}, {}}, 0.5));
        assertTrue(e.getMessage().contains("weights[1]") && e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void rejectsBadCapsAndMasks() {
        float[][] w = {{1f, 2f}, {3f}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GlobalMagnitudeSelection.keepMasks(w, 0.5, new double[] {0.5}));
        assertTrue(e.getMessage().contains("maxSparsity") && e.getMessage().contains("1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> GlobalMagnitudeSelection.keepMasks(w, 0.5, new double[] {0.5, 1.5}));
        assertTrue(e.getMessage().contains("maxSparsity[1]") && e.getMessage().contains("1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> GlobalMagnitudeSelection.select(w, new boolean[][] {{true}, {true}}, 0.5, null));
        assertTrue(e.getMessage().contains("activeMasks[0]") && e.getMessage().contains("2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GlobalMagnitudeSelection.pruneCount(-1, 0.5));
        assertTrue(e.getMessage().contains("n must be >= 0"), e.getMessage());
    }

    @Test
    void rejectsNaNWeights() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GlobalMagnitudeSelection.keepMasks(new float[][] {{1f}, {2f, Float.NaN}}, 0.5));
        assertTrue(e.getMessage().contains("weights[1]") && e.getMessage().contains("NaN"), e.getMessage());
    }

    static float[][] randomTensors(SplittableRandom rnd, int trial) {
        int tensors = 1 + rnd.nextInt(5);
        float[][] w = new float[tensors][];
        for (int t = 0; t < tensors; t++) {
            int n = 1 + rnd.nextInt(trial % 4 == 0 ? 2000 : 60);
            w[t] = trial % 3 == 0 ? BruteForce.tiedValues(rnd, n, 1 + rnd.nextInt(5)) : gaussian(rnd, n);
        }
        return w;
    }

    static boolean[][] randomMasks(SplittableRandom rnd, float[][] w) {
        boolean[][] m = new boolean[w.length][];
        for (int t = 0; t < w.length; t++) {
            m[t] = new boolean[w[t].length];
            for (int i = 0; i < m[t].length; i++) {
                m[t][i] = rnd.nextInt(4) != 0;
            }
        }
        return m;
    }

    private static float[] gaussian(SplittableRandom rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }
}
