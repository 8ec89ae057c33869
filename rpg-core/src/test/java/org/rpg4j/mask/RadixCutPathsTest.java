package org.rpg4j.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both ways {@link RadixCut} finishes a selection give the brute-force result: gathering the few
 * keys of the cut's histogram bin (continuous magnitudes: a bin holds a small fraction), and the
 * low-bits histogram with a marking pass (heavily tied magnitudes: the cut's bin holds about a
 * quarter of all positions, more than the gathering takes). Three arrays of 300,000 positions, so
 * that they are split into parallel groups; random active masks; several keep counts.
 */
class RadixCutPathsTest {

    @ParameterizedTest(name = "{0} distinct values, keep {1} per mille, seed {2}")
    @CsvSource({"0, 100, 1", "0, 500, 2", "0, 937, 3", "4, 100, 4", "4, 500, 5", "4, 937, 6"})
    void selectsTheBruteForceTopCount(int distinct, int perMille, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] weights = new float[3][];
        boolean[][] active = new boolean[3][];
        for (int a = 0; a < 3; a++) {
            weights[a] = distinct == 0 ? gaussian(random, 300_000) : BruteForce.tiedValues(random, 300_000, distinct);
            active[a] = new boolean[300_000];
            for (int i = 0; i < active[a].length; i++) {
                active[a][i] = random.nextInt(4) != 0;
            }
        }
        long count = 900_000L * perMille / 1000;
        boolean[][] out = new boolean[3][300_000];
        long[] perArray = new long[3];
        int cut = RadixCut.select(SelectionKeys.magnitudes("weights", weights, active, null), count, "count", out,
                perArray);
        boolean[][] expected = BruteForce.globalKeep(weights, active, count);
        float smallest = Float.MAX_VALUE;
        for (int a = 0; a < 3; a++) {
            assertArrayEquals(expected[a], out[a], "array " + a);
            assertEquals(MaskCounts.count(out[a]), perArray[a], "count of array " + a);
            for (int i = 0; i < out[a].length; i++) {
                smallest = out[a][i] ? Math.min(smallest, active[a][i] ? Math.abs(weights[a][i]) : 0.0f) : smallest;
            }
        }
        assertEquals(smallest, SelectionKeys.valueOfKey(cut), 0.0f, "the cut is the smallest selected magnitude");
    }

    private static float[] gaussian(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
