package org.rpg4j.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LayerBudgetsTest {
    /** ERK densities are compared with the reference's float64 values to this absolute tolerance. */
    private static final double ERK_TOLERANCE = 1e-15;

    @Test
    void erkMatchesTheReferenceFunction() {
        // Values printed by a numpy re-implementation of RigL.py get_erdos_renyi_dist
        // (is_kernel=True, no forced-dense layers). The [10, 64] layer is made dense: its raw score
        // 74/640 is the largest and eps * raw > 1.
        long[][] shapes = {{16, 3, 3, 3}, {32, 16, 3, 3}, {64, 32, 3, 3}, {10, 64}};
        assertArrayEquals(new double[] {0.565914671577655, 0.11459772099447513, 0.05411559046961326, 1.0},
                LayerBudgets.erkDensities(shapes, 0.1), ERK_TOLERANCE);
        long[][] shapes2 = {{4, 1, 3, 3}, {64, 64, 3, 3}, {512, 4608}, {10, 512}};
        assertArrayEquals(new double[] {1.0, 0.07949985155159561, 0.047462597941251114, 1.0},
                LayerBudgets.erkDensities(shapes2, 0.05), ERK_TOLERANCE);
        assertArrayEquals(new double[] {0.6530456075910621, 0.21608126721763085, 0.959400826446281},
                LayerBudgets.erkDensities(new long[][] {{8, 3, 3, 3}, {16, 8, 3, 3}, {10, 64}}, 0.5), ERK_TOLERANCE);
    }

    @Test
    void erkDensitiesAverageToTheTargetAndNeverExceedOne() {
        SplittableRandom rnd = new SplittableRandom(17);
        for (int trial = 0; trial < 300; trial++) {
            long[][] shapes = randomShapes(rnd);
            double density = 0.01 + 0.99 * rnd.nextDouble();
            double[] d = LayerBudgets.erkDensities(shapes, density);
            double kept = 0;
            long n = 0;
            for (int l = 0; l < shapes.length; l++) {
                assertTrue(d[l] > 0 && d[l] <= 1.0, "density " + d[l]);
                long size = Checks.size("s", shapes[l]);
                kept += d[l] * size;
                n += size;
            }
            // The reference truncates int(N_l * D) per layer: at most one weight per layer off.
            assertEquals(density * n, kept, shapes.length + 1e-6 * n, "trial " + trial);
        }
    }

    @Test
    void uniformDensitiesAreExactWithoutCapsAndHonourCaps() {
        long[][] shapes = {{10}, {20}, {70}};
        assertArrayEquals(new double[] {0.3, 0.3, 0.3},
                LayerBudgets.layerDensities(LayerBudget.UNIFORM, shapes, 0.3, null), 0.0);
        // caps: tensor 0 may lose at most 20% -> density >= 0.8 (fixed); the others share
        // (0.3 * 100 - 0.8 * 10) / 90 = 22 / 90
        double[] d = LayerBudgets.layerDensities(LayerBudget.UNIFORM, shapes, 0.3, new double[] {0.2, 1.0, 1.0});
        assertArrayEquals(new double[] {0.8, 22.0 / 90, 22.0 / 90}, d, 1e-15);
    }

    @Test
    void perLayerCapsAreRespectedAndTheTargetKeptWhenPossible() {
        SplittableRandom rnd = new SplittableRandom(23);
        for (int trial = 0; trial < 300; trial++) {
            long[][] shapes = randomShapes(rnd);
            double[] caps = new double[shapes.length];
            for (int l = 0; l < caps.length; l++) {
                caps[l] = rnd.nextInt(3) == 0 ? 1.0 : 0.3 + 0.7 * rnd.nextDouble();
            }
            double density = 0.05 + 0.9 * rnd.nextDouble();
            for (LayerBudget budget : new LayerBudget[] {LayerBudget.UNIFORM, LayerBudget.ERK}) {
                double[] d = LayerBudgets.layerDensities(budget, shapes, density, caps);
                for (int l = 0; l < d.length; l++) {
                    assertTrue(d[l] >= 1.0 - caps[l] - 1e-12 && d[l] <= 1.0, budget + " cap of tensor " + l);
                }
            }
        }
    }

    @Test
    void perLayerBudgetsKeepRoundHalfEvenTopKPerTensor() {
        // UNIFORM at density 0.25: tensor 0 (N=10): K = rint(2.5) = 2; tensor 1 (N=6): K = rint(1.5) = 2
        float[][] w = {{1f, 9f, 3f, 8f, 2f, 7f, 4f, 6f, 5f, 0f}, {6f, 5f, 4f, 3f, 2f, 1f}};
        boolean[][] m = LayerBudgets.keepMasks(LayerBudget.UNIFORM, w, (long[][]) null, 0.25, null);
        assertArrayEquals(new boolean[] {false, true, false, true, false, false, false, false, false, false}, m[0]);
        assertArrayEquals(new boolean[] {true, true, false, false, false, false}, m[1]);
        MaskSelection s = LayerBudgets.select(LayerBudget.UNIFORM, w, null, null, 0.25, null);
        assertFalse(s.threshold().isPresent());
        assertEquals(4, s.keptCount());
    }

    @Test
    void erkKeepMasksUseTheErkDensities() {
        SplittableRandom rnd = new SplittableRandom(3);
        int[][] shapes = {{8, 3, 3, 3}, {16, 8, 3, 3}, {10, 64}};
        float[][] w = new float[3][];
        for (int l = 0; l < 3; l++) {
            w[l] = new float[java.util.Arrays.stream(shapes[l]).reduce(1, (a, b) -> a * b)];
            for (int i = 0; i < w[l].length; i++) {
                w[l][i] = (float) rnd.nextGaussian();
            }
        }
        boolean[][] m = LayerBudgets.keepMasks(LayerBudget.ERK, w, shapes, 0.5, null);
        double[] d = {0.6530456075910621, 0.21608126721763085, 0.959400826446281};
        for (int l = 0; l < 3; l++) {
            assertEquals(Math.rint(d[l] * w[l].length), MaskCounts.count(m[l]), "tensor " + l);
            assertArrayEquals(BruteForce.largest(abs(w[l]), (int) MaskCounts.count(m[l]), null), m[l]);
        }
    }

    @Test
    void globalBudgetIsTheGlobalThresholdAtOneMinusDensity() {
        float[][] w = GlobalMagnitudeSelectionTest.randomTensors(new SplittableRandom(9), 1);
        boolean[][] viaBudget = LayerBudgets.keepMasks(LayerBudget.GLOBAL, w, (long[][]) null, 0.3, null);
        boolean[][] direct = GlobalMagnitudeSelection.keepMasks(w, 1.0 - 0.3);
        for (int t = 0; t < w.length; t++) {
            assertArrayEquals(direct[t], viaBudget[t]);
        }
    }

    @Test
    void rejectsBadBudgetArguments() {
        float[][] w = {{1f, 2f}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LayerBudgets.keepMasks(LayerBudget.GLOBAL, w, (long[][]) null, 0.0, null));
        assertTrue(e.getMessage().contains("density") && e.getMessage().contains("(0, 1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LayerBudgets.keepMasks(LayerBudget.ERK, w, (long[][]) null, 0.5, null));
        assertTrue(e.getMessage().contains("shapes") && e.getMessage().contains("ERK"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LayerBudgets.keepMasks(LayerBudget.ERK, w, new long[][] {{3}}, 0.5, null));
        assertTrue(e.getMessage().contains("shapes[0]") && e.getMessage().contains("2 elements"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LayerBudgets.keepMasks(null, w, (long[][]) null, 0.5, null));
        assertTrue(e.getMessage().contains("budget"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LayerBudgets.layerDensities(LayerBudget.GLOBAL, new long[][] {{2}}, 0.5, null));
        assertTrue(e.getMessage().contains("UNIFORM or ERK"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LayerBudgets.erkDensities(new long[][] {{2, 0}}, 0.5));
        assertTrue(e.getMessage().contains("dimensions >= 1"), e.getMessage());
    }

    private static long[][] randomShapes(SplittableRandom rnd) {
        int layers = 1 + rnd.nextInt(8);
        long[][] shapes = new long[layers][];
        for (int l = 0; l < layers; l++) {
            shapes[l] = rnd.nextBoolean()
                    ? new long[] {1 + rnd.nextInt(64), 1 + rnd.nextInt(64), 1 + rnd.nextInt(3) * 2, 0}
                    : new long[] {1 + rnd.nextInt(512), 1 + rnd.nextInt(512)};
            if (shapes[l].length == 4) {
                shapes[l][3] = shapes[l][2];
            }
        }
        return shapes;
    }

    private static float[] abs(float[] v) {
        float[] a = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            a[i] = Math.abs(v[i]);
        }
        return a;
    }
}
