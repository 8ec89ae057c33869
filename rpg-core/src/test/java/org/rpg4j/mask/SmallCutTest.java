package org.rpg4j.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link SmallCut} (what {@link RadixCut#select} runs for small inputs)
 * gives exactly the selection, counts, cut and errors of the radix passes ({@link
 * RadixCut#selectByRadix}) and of a full sort: seeded loops over array counts, lengths, tied and
 * continuous values, active masks, arrays left out, filters, and the counts 0 and all.
 */
class SmallCutTest {

    @Test
    void handComputedMagnitudeCutAcrossTwoArrays() {
        // |w| concatenated: 0:0.5 1:2 2:1 | 3:2 4:0.25 5:1; order by (|w| desc, index asc): 1 3 2 5 0 4
        // keep 3 = {1, 3, 2}: the tie at 1.0 between 2 and 5 goes to index 2; the cut is 1.0
        float[][] w = {{0.5f, -2f, 1f}, {2f, 0.25f, -1f}};
        boolean[][] out = new boolean[2][3];
        long[] perArray = new long[2];
        int cut = SmallCut.select(SelectionKeys.magnitudes("w", w, null, null), 3, "count", out, perArray);
        assertArrayEquals(new boolean[] {false, true, true}, out[0]);
        assertArrayEquals(new boolean[] {true, false, false}, out[1]);
        assertArrayEquals(new long[] {2, 1}, perArray);
        assertEquals(1.0f, SelectionKeys.valueOfKey(cut), 0.0f);
    }

    @Test
    void magnitudeSelectionsMatchTheRadixPassesAndASort() {
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 300; trial++) {
            int arrays = 1 + random.nextInt(4);
            float[][] weights = new float[arrays][];
            boolean[][] active = trial % 2 == 0 ? null : new boolean[arrays][];
            boolean[] included = trial % 5 == 0 ? new boolean[arrays] : null;
            long eligible = 0;
            for (int a = 0; a < arrays; a++) {
                int n = 1 + random.nextInt(trial < 150 ? 50 : 20_000);
                weights[a] = trial % 3 == 0 ? BruteForce.tiedValues(random, n, 1 + random.nextInt(5))
                        : gaussian(random, n, Math.pow(10, -random.nextInt(6)));
                if (active != null) {
                    active[a] = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        active[a][i] = random.nextInt(3) != 0;
                    }
                }
                if (included != null) {
                    included[a] = a == 0 || random.nextBoolean();
                }
                eligible += included == null || included[a] ? n : 0;
            }
            long count = switch (trial % 7) {
                case 0 -> 0;
                case 1 -> eligible;
                default -> random.nextLong(eligible + 1);
            };
            SelectionKeys keys = SelectionKeys.magnitudes("weights", weights, active, included);
            assertSameAsRadix(keys, weights, count, "trial " + trial);
            assertSameAsSort(weights, active, included, count, keys, "trial " + trial);
        }
    }

    @Test
    void valueSelectionsWithFiltersMatchTheRadixPasses() {
        SplittableRandom random = new SplittableRandom(12);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + random.nextInt(trial < 150 ? 60 : 30_000);
            float[] values = trial % 3 == 0 ? BruteForce.tiedValues(random, n, 1 + random.nextInt(6))
                    : gaussian(random, n, 1.0);
            if (trial % 10 == 0) {
                values[random.nextInt(n)] = Float.NEGATIVE_INFINITY;
                values[random.nextInt(n)] = Float.POSITIVE_INFINITY;
                values[random.nextInt(n)] = -Float.MAX_VALUE;
            }
            boolean[] filter = trial % 4 == 0 ? null : new boolean[n];
            boolean keeps = random.nextBoolean();
            int eligible = n;
            if (filter != null) {
                eligible = 0;
                for (int i = 0; i < n; i++) {
                    filter[i] = random.nextBoolean();
                    eligible += filter[i] == keeps ? 1 : 0;
                }
            }
            long count = trial % 5 == 0 ? eligible : random.nextInt(eligible + 1);
            SelectionKeys keys = SelectionKeys.values("scores", values, filter, keeps);
            assertSameAsRadix(keys, new float[][] {values}, count, "trial " + trial);
            boolean[] eligibleMask = new boolean[n];
            for (int i = 0; i < n; i++) {
                eligibleMask[i] = filter == null || filter[i] == keeps;
            }
            boolean[][] out = new boolean[1][n];
            SmallCut.select(keys, count, "count", out, null);
            assertArrayEquals(BruteForce.largest(values, (int) count, eligibleMask), out[0], "trial " + trial);
        }
    }

    @Test
    void leavesArraysThatTakeNoPartUntouched() {
        float[][] w = {{1f, 2f}, {3f, 4f}, {5f, 6f}};
        boolean[][] out = {{true, false}, {true, false}, {true, false}};
        long[] perArray = {-1, -1, -1};
        SmallCut.select(SelectionKeys.magnitudes("w", w, null, new boolean[] {false, true, false}), 1, "count",
                out, perArray);
        assertArrayEquals(new boolean[] {true, false}, out[0]);
        assertArrayEquals(new boolean[] {false, true}, out[1]);
        assertArrayEquals(new boolean[] {true, false}, out[2]);
        assertArrayEquals(new long[] {-1, 1, -1}, perArray);
    }

    @Test
    void rejectsACountAboveTheEligiblePositionsAndNaNAsTheRadixPassesDo() {
        float[] values = {1f, 2f, 3f, 4f};
        boolean[] filter = {true, false, true, false};
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> SmallCut.select(
                SelectionKeys.values("scores", values, filter, true), 3, "count", new boolean[1][4], null));
        IllegalArgumentException radix = assertThrows(IllegalArgumentException.class, () -> RadixCut.selectByRadix(
                SelectionKeys.values("scores", values, filter, true), 3, "count", new boolean[1][4], null));
        assertEquals(radix.getMessage(), small.getMessage());
        assertTrue(small.getMessage().contains("[0, 2]"), small.getMessage());
        float[][] withNaN = {{1f, 2f}, {3f, Float.NaN}};
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> SmallCut.select(
                SelectionKeys.magnitudes("weights", withNaN, null, null), 1, "count", new boolean[2][2], null));
        assertEquals("weights[1] must not hold NaN, got NaN at flat index 1", nan.getMessage());
    }

    @Test
    void theRadixSelectionTakesOverAboveTheLimits() {
        int single = (int) SmallCut.MAX_SINGLE;
        int total = (int) SmallCut.MAX_TOTAL;
        assertTrue(SmallCut.fits(SelectionKeys.magnitudes("w", new float[][] {new float[single]}, null, null)));
        assertFalse(SmallCut.fits(SelectionKeys.magnitudes("w", new float[][] {new float[single + 1]}, null, null)));
        // one array taking part among several is a single array
        assertFalse(SmallCut.fits(SelectionKeys.magnitudes("w", new float[][] {new float[single + 1], new float[1]},
                null, new boolean[] {true, false})));
        assertTrue(SmallCut.fits(SelectionKeys.magnitudes("w", new float[][] {new float[total - 1], new float[1]},
                null, null)));
        assertFalse(SmallCut.fits(SelectionKeys.magnitudes("w", new float[][] {new float[total], new float[1]},
                null, null)));
    }

    private static void assertSameAsRadix(SelectionKeys keys, float[][] like, long count, String what) {
        boolean[][] small = emptyLike(like);
        boolean[][] radix = emptyLike(like);
        long[] smallCounts = new long[like.length];
        long[] radixCounts = new long[like.length];
        int smallCut = SmallCut.select(keys, count, "count", small, smallCounts);
        int radixCut = RadixCut.selectByRadix(keys, count, "count", radix, radixCounts);
        assertEquals(radixCut, smallCut, what + ": cut");
        assertArrayEquals(radixCounts, smallCounts, what + ": counts");
        for (int a = 0; a < like.length; a++) {
            assertArrayEquals(radix[a], small[a], what + ": array " + a);
        }
    }

    private static void assertSameAsSort(float[][] weights, boolean[][] active, boolean[] included, long count,
                                         SelectionKeys keys, String what) {
        float[][] part = new float[weights.length][];
        boolean[][] partActive = active == null ? null : new boolean[weights.length][];
        for (int a = 0; a < weights.length; a++) {
            boolean in = included == null || included[a];
            part[a] = in ? weights[a] : new float[0];
            if (active != null) {
                partActive[a] = in ? active[a] : new boolean[0];
            }
        }
        boolean[][] expected = BruteForce.globalKeep(part, partActive, count);
        boolean[][] out = emptyLike(weights);
        SmallCut.select(keys, count, "count", out, null);
        for (int a = 0; a < weights.length; a++) {
            if (included == null || included[a]) {
                assertArrayEquals(expected[a], out[a], what + ": array " + a);
            }
        }
    }

    private static boolean[][] emptyLike(float[][] like) {
        boolean[][] out = new boolean[like.length][];
        for (int a = 0; a < like.length; a++) {
            out[a] = new boolean[like[a].length];
        }
        return out;
    }

    private static float[] gaussian(SplittableRandom random, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (scale * random.nextGaussian());
        }
        return v;
    }
}
