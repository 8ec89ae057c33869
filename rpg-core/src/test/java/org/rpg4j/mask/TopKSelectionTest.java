package org.rpg4j.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TopKSelectionTest {

    @Test
    void handComputedTopThreeWithTiesGoesToLowerIndex() {
        // values:  0:1.0  1:3.0  2:2.0  3:3.0  4:2.0  5:-5.0
        // order by (value desc, index asc): 1(3.0) 3(3.0) 2(2.0) 4(2.0) 0(1.0) 5(-5.0)
        // top 3 = {1, 3, 2}: the tie at 2.0 between 2 and 4 goes to index 2
        float[] v = {1f, 3f, 2f, 3f, 2f, -5f};
        assertArrayEquals(new boolean[] {false, true, true, true, false, false}, TopKSelection.selectLargest(v, 3));
    }

    @Test
    void negativeValuesAndSignedZerosOrderAsFloats() {
        // -0.0 == 0.0, so the tie between 1 (-0.0) and 3 (0.0) goes to index 1;
        // order: 4(0.5) 1(-0.0) 3(0.0) 0(-1) 2(-inf)
        float[] v = {-1f, -0.0f, Float.NEGATIVE_INFINITY, 0.0f, 0.5f};
        assertArrayEquals(new boolean[] {false, true, false, false, true}, TopKSelection.selectLargest(v, 2));
        assertArrayEquals(new boolean[] {true, true, false, true, true}, TopKSelection.selectLargest(v, 4));
    }

    @Test
    void excludedAndAllowedPositionsAreRespected() {
        float[] v = {5f, 4f, 3f, 2f, 1f};
        boolean[] out = {true, true, true, true, true};
        // excluding 0 and 2: remaining order 1(4) 3(2) 4(1)
        TopKSelection.selectLargest(v, 2, new boolean[] {true, false, true, false, false}, out);
        assertArrayEquals(new boolean[] {false, true, false, true, false}, out);
        // allowing only 2, 3, 4: top 1 is 2
        TopKSelection.selectLargestWithin(v, 1, new boolean[] {false, false, true, true, true}, out);
        assertArrayEquals(new boolean[] {false, false, true, false, false}, out);
    }

    @Test
    void zeroAndFullCountsSelectNothingAndEverything() {
        float[] v = {1f, 1f, 2f};
        assertEquals(0, MaskCounts.count(TopKSelection.selectLargest(v, 0)));
        assertEquals(3, MaskCounts.count(TopKSelection.selectLargest(v, 3)));
        boolean[] out = new boolean[3];
        TopKSelection.selectLargest(v, 2, new boolean[] {false, true, false}, out);
        assertArrayEquals(new boolean[] {true, false, true}, out);
    }

    @Test
    void matchesFullSortOnRandomTiedInputs() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int trial = 0; trial < 400; trial++) {
            int n = 1 + rnd.nextInt(trial < 200 ? 40 : 3000);
            float[] v = trial % 3 == 0 ? randomFloats(rnd, n) : BruteForce.tiedValues(rnd, n, 1 + rnd.nextInt(6));
            boolean[] excluded = new boolean[n];
            int eligible = 0;
            for (int i = 0; i < n; i++) {
                excluded[i] = trial % 2 == 0 && rnd.nextInt(3) == 0;
                eligible += excluded[i] ? 0 : 1;
            }
            int count = rnd.nextInt(eligible + 1);
            float[] copy = v.clone();
            boolean[] excludedCopy = excluded.clone();
            boolean[] out = new boolean[n];
            TopKSelection.selectLargest(v, count, excluded, out);
            boolean[] eligibleMask = new boolean[n];
            for (int i = 0; i < n; i++) {
                eligibleMask[i] = !excluded[i];
            }
            assertArrayEquals(BruteForce.largest(v, count, eligibleMask), out, "trial " + trial);
            assertEquals(count, MaskCounts.count(out));
            assertArrayEquals(copy, v, "scores must be unmodified");
            assertArrayEquals(excludedCopy, excluded, "excluded must be unmodified");
        }
    }

    @Test
    void sameInputsGiveIdenticalSelections() {
        float[] v = BruteForce.tiedValues(new SplittableRandom(3), 5000, 3);
        assertArrayEquals(TopKSelection.selectLargest(v, 1234), TopKSelection.selectLargest(v.clone(), 1234));
    }

    @Test
    void rejectsCountOutOfRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TopKSelection.selectLargest(new float[] {1f, 2f}, 3));
        assertTrue(e.getMessage().contains("count") && e.getMessage().contains("3")
                && e.getMessage().contains("[0, 2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TopKSelection.selectLargest(new float[] {1f}, -1));
        assertThrows(IllegalArgumentException.class, () -> TopKSelection.selectLargest(new float[] {1f, 2f}, 2,
                new boolean[] {true, false}, new boolean[2]));
    }

    @Test
    void rejectsMismatchedLengthsAndNulls() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TopKSelection.selectLargest(new float[3], 1, null, new boolean[2]));
        assertTrue(e.getMessage().contains("selectedOut") && e.getMessage().contains("2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TopKSelection.selectLargest(new float[3], 1, new boolean[4], new boolean[3]));
        assertTrue(e.getMessage().contains("excluded") && e.getMessage().contains("4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TopKSelection.selectLargest(null, 0));
        assertThrows(IllegalArgumentException.class,
                () -> TopKSelection.selectLargestWithin(new float[1], 0, null, new boolean[1]));
    }

    @Test
    void rejectsNaNScores() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TopKSelection.selectLargest(new float[] {1f, Float.NaN}, 1));
        assertTrue(e.getMessage().contains("scores") && e.getMessage().contains("NaN")
                && e.getMessage().contains("index 1"), e.getMessage());
    }

    @Test
    void magnitudeSelectionsEqualTheSelectionsOnMagnitudeArrays() {
        // the signed-value forms must pick exactly what the plain forms pick on |v| (0 where nonZero is
        // false), including arrays longer than one 65,536-key chunk, which are re-keyed chunk by chunk
        SplittableRandom rnd = new SplittableRandom(11);
        int[] sizes = {1, 2, 17, 300, 3000, 65_536, 65_537, 150_001};
        for (int trial = 0; trial < 48; trial++) {
            int n = sizes[trial % sizes.length];
            float[] v = trial % 2 == 0 ? randomFloats(rnd, n) : BruteForce.tiedValues(rnd, n, 1 + rnd.nextInt(5));
            for (int i = 0; i < n; i++) {
                v[i] = rnd.nextBoolean() ? -v[i] : v[i];
            }
            boolean[] nonZero = new boolean[n];
            boolean[] filter = new boolean[n];
            float[] magnitudes = new float[n];
            float[] absolute = new float[n];
            int allowed = 0;
            for (int i = 0; i < n; i++) {
                nonZero[i] = rnd.nextInt(4) != 0;
                filter[i] = rnd.nextInt(3) != 0;
                allowed += filter[i] ? 1 : 0;
                absolute[i] = Math.abs(v[i]);
                magnitudes[i] = nonZero[i] ? absolute[i] : 0f;
            }
            int count = allowed == 0 ? 0 : rnd.nextInt(allowed + 1);
            boolean[] expected = new boolean[n];
            boolean[] actual = new boolean[n];
            TopKSelection.selectLargestWithin(magnitudes, count, filter, expected);
            TopKSelection.selectLargestMagnitudesWithin(v, nonZero, count, filter, actual);
            assertArrayEquals(expected, actual, "within, n=" + n + ", trial " + trial);
            assertEquals(count, MaskCounts.count(actual));
            int notExcluded = n - allowed;
            count = rnd.nextInt(notExcluded + 1);
            TopKSelection.selectLargest(absolute, count, filter, expected);
            TopKSelection.selectLargestMagnitudes(v, count, filter, actual);
            assertArrayEquals(expected, actual, "excluded, n=" + n + ", trial " + trial);
            if (n > 65_536 && trial < 16) {
                assertArrayEquals(BruteForce.largest(absolute, count, not(filter)), actual, "full sort, n=" + n);
            }
        }
        float[] nan = {1f, Float.NaN, 2f};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TopKSelection.selectLargestMagnitudes(nan, 1, null, new boolean[3]));
        assertTrue(e.getMessage().contains("values must not hold NaN") && e.getMessage().contains("index 1"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TopKSelection.selectLargestMagnitudesWithin(
                new float[3], new boolean[2], 1, new boolean[3], new boolean[3]));
        assertTrue(e.getMessage().startsWith("nonZero must have the length of values (3), got 2"), e.getMessage());
    }

    private static boolean[] not(boolean[] mask) {
        boolean[] inverse = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) {
            inverse[i] = !mask[i];
        }
        return inverse;
    }

    private static float[] randomFloats(SplittableRandom rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(-8, 8)));
        }
        return v;
    }
}
