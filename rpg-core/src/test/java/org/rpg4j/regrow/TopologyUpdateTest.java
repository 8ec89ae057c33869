package org.rpg4j.regrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rpg4j.mask.LayerBudget;
import org.rpg4j.mask.MaskCounts;

class TopologyUpdateTest {
    private static final Regrowth GRADIENT = RegrowthKind.GRADIENT.regrowth();

    @Test
    void handComputedUpdate() {
        // Global |w| (10 + 2 weights): A = .9 .1 .5 .05 .7 .3 | B = .8 .6 .4 .2 | C = 5 6.
        // density 0.625 -> sparsity 0.375, kk = rint(0.375 * 12) = rint(4.5) = 4 (half to even),
        // threshold = 4th smallest = 0.3, keep N - kk + 1 = 9: A {0, 2, 4, 5}, B {0, 1, 2}, C {0, 1}.
        // f = 0.5.
        // A: S = 2/6, K = int(4.0) = 4, nGrow = int(4.0 * 0.5) = 2, nKeep = 2: keep |w| .9 (0), .7 (4);
        //    |g| = 0 .3 .9 .8 .1 .2, best outside {0, 4}: 2 (.9), 3 (.8) -> new {0, 2, 3, 4};
        //    dropped 5; grown 2 (a survivor, keeps 0.5) and 3 (pruned, starts at 0).
        // B: S = 1/4, K = 3, nGrow = int(1.5) = 1, nKeep = 2: keep .8 (0), .6 (1);
        //    |g| ties .5 at 2 and 3 -> lower index 2 -> new {0, 1, 2} = post.
        // C: S = 0 -> skipped.
        float[][] w = {{0.9f, -0.1f, 0.5f, 0.05f, -0.7f, 0.3f}, {0.8f, 0.6f, -0.4f, 0.2f}, {5f, -6f}};
        float[][] g = {{0f, 0.3f, -0.9f, 0.8f, 0.1f, 0.2f}, {1f, 1f, 0.5f, -0.5f}, {0f, 0f}};
        boolean[][] current = allTrue(w);
        TopologyUpdateResult r = Requests.apply(w, current, g, OptionalDouble.of(0.625), 0.5, GRADIENT,
                new SplittableRandom(1), LayerBudget.GLOBAL, null, null);
        assertEquals(0.3f, (float) r.threshold().getAsDouble());
        assertEquals(9, r.thresholdSurvivors());
        assertArrayEquals(new boolean[] {true, false, true, false, true, true}, r.postThresholdMasks()[0]);
        assertArrayEquals(new boolean[] {true, false, true, true, true, false}, r.newMasks()[0]);
        assertArrayEquals(new boolean[] {true, false, true, false, true, false}, r.weightKeepMasks()[0]);
        assertArrayEquals(new boolean[] {true, true, true, false}, r.newMasks()[1]);
        assertArrayEquals(new boolean[] {true, true}, r.newMasks()[2]);
        LayerUpdate a = r.layers().get(0);
        assertEquals(2.0 / 6, a.layerSparsity(), 0.0);
        assertEquals(4, a.kept());
        assertEquals(1, a.dropped());
        assertEquals(2, a.grown());
        assertEquals(1, a.grownFromPruned());
        assertTrue(r.layers().get(2).skipped());
        assertEquals(0, r.layers().get(2).grown());
        assertEquals(9, r.totalKept());
        assertEquals(3, r.totalGrown());
        assertFalse(r.stationary());
    }

    @Test
    void gradientRegrowthPropertiesOnRandomLayers() {
        SplittableRandom rnd = new SplittableRandom(101);
        for (int trial = 0; trial < 150; trial++) {
            Layers in = Layers.random(rnd, trial);
            double density = 0.02 + 0.97 * rnd.nextDouble();
            double f = 0.3 * rnd.nextDouble();
            LayerBudget budget = LayerBudget.values()[trial % 3];
            Layers copy = in.copy();
            TopologyUpdateResult r = Requests.apply(in.weights, in.masks, in.scores,
                    OptionalDouble.of(density), f, GRADIENT, new SplittableRandom(trial), budget, in.shapes, null);
            TopologyUpdateResult again = Requests.apply(in.weights, in.masks, in.scores,
                    OptionalDouble.of(density), f, GRADIENT, new SplittableRandom(trial + 1), budget, in.shapes, null);
            in.assertEqualTo(copy);
            for (int l = 0; l < in.weights.length; l++) {
                boolean[] post = r.postThresholdMasks()[l];
                boolean[] next = r.newMasks()[l];
                assertArrayEquals(next, again.newMasks()[l], "deterministic");
                int n = post.length;
                if (budget == LayerBudget.GLOBAL && r.threshold().getAsDouble() > 0) {
                    for (int i = 0; i < n; i++) {
                        assertTrue(!post[i] || in.masks[l][i], "a positive threshold keeps only active weights");
                    }
                }
                int survivors = (int) MaskCounts.count(post);
                double s = (double) (n - survivors) / n;
                assertEquals(s, r.layers().get(l).layerSparsity(), 0.0);
                if (s <= 0) {
                    assertArrayEquals(post, next);
                    continue;
                }
                RegrowthQuota q = RegrowthQuota.reference(n, s, f);
                assertEquals(q.activeCount(), MaskCounts.count(next), "exactly K");
                boolean[] keep = Oracle.largest(Oracle.activeMagnitudes(in.weights[l], in.masks[l], post),
                        q.keepCount(), post);
                boolean[] grown = new boolean[n];
                for (int i = 0; i < n; i++) {
                    assertTrue(!keep[i] || next[i], "keep set is part of the new mask");
                    grown[i] = next[i] && !keep[i];
                    assertEquals(post[i] && next[i] && in.masks[l][i], r.weightKeepMasks()[l][i]);
                }
                assertEquals(q.growCount(), MaskCounts.count(grown), "grown outside the keep set");
                Oracle.assertTopScoresOutside(in.scores[l], grown, keep);
            }
        }
    }

    @Test
    void noneKeepsTheThresholdMaskAndRandomIsSeeded() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int trial = 0; trial < 40; trial++) {
            Layers in = Layers.random(rnd, trial);
            OptionalDouble d = OptionalDouble.of(0.1 + 0.8 * rnd.nextDouble());
            TopologyUpdateResult none = Requests.apply(in.weights, in.masks, new float[in.weights.length][], d,
                    0.3, RegrowthKind.NONE.regrowth(), new SplittableRandom(0), LayerBudget.GLOBAL, null, null);
            TopologyUpdateResult r1 = Requests.apply(in.weights, in.masks, in.scores, d, 0.3,
                    RegrowthKind.RANDOM.regrowth(), new SplittableRandom(trial), LayerBudget.GLOBAL, null, null);
            TopologyUpdateResult r2 = Requests.apply(in.weights, in.masks, null2(in), d, 0.3,
                    RegrowthKind.RANDOM.regrowth(), new SplittableRandom(trial), LayerBudget.GLOBAL, null, null);
            for (int l = 0; l < in.weights.length; l++) {
                assertArrayEquals(none.postThresholdMasks()[l], none.newMasks()[l], "NONE keeps the threshold mask");
                assertArrayEquals(r1.newMasks()[l], r2.newMasks()[l], "RANDOM reproducible from the seed");
                assertEquals(r1.layers().get(l).quota().activeCount(), MaskCounts.count(r1.newMasks()[l]));
            }
            assertEquals(none.thresholdSurvivors(), none.totalKept());
            assertEquals(0, none.totalGrown());
        }
    }

    @Test
    void randomRegrowthDependsOnTheSeed() {
        float[][] w = {new float[4000]};
        for (int i = 0; i < w[0].length; i++) {
            w[0][i] = (i % 97) + 1;
        }
        boolean[][] m = allTrue(w);
        OptionalDouble d = OptionalDouble.of(0.5);
        boolean[] a = Requests.apply(w, m, new float[1][], d, 0.3, RegrowthKind.RANDOM.regrowth(),
                new SplittableRandom(1), LayerBudget.GLOBAL, null, null).newMasks()[0];
        boolean[] b = Requests.apply(w, m, new float[1][], d, 0.3, RegrowthKind.RANDOM.regrowth(),
                new SplittableRandom(2), LayerBudget.GLOBAL, null, null).newMasks()[0];
        assertEquals(MaskCounts.count(a), MaskCounts.count(b));
        assertFalse(java.util.Arrays.equals(a, b), "different seeds grow different positions");
    }

    @Test
    void stationaryUpdatesDropAndGrowWithoutDrift() {
        // After the target: no re-threshold; each layer keeps exactly its active count, update after update.
        SplittableRandom rnd = new SplittableRandom(13);
        Layers in = Layers.random(rnd, 1);
        TopologyUpdateResult r = Requests.apply(in.weights, in.masks, in.scores, OptionalDouble.of(0.3), 0.2,
                GRADIENT, new SplittableRandom(0), LayerBudget.GLOBAL, null, null);
        boolean[][] masks = r.newMasks();
        long[] counts = new long[masks.length];
        for (int l = 0; l < masks.length; l++) {
            counts[l] = MaskCounts.count(masks[l]);
        }
        for (int update = 0; update < 25; update++) {
            float[][] w = Layers.gaussian(rnd, in.weights, masks);
            float[][] g = Layers.gaussian(rnd, in.weights, null);
            TopologyUpdateResult s = Requests.apply(w, masks, g, OptionalDouble.empty(), 0.1, GRADIENT,
                    new SplittableRandom(update), LayerBudget.GLOBAL, null, null);
            assertTrue(s.stationary());
            assertFalse(s.threshold().isPresent());
            for (int l = 0; l < masks.length; l++) {
                assertArrayEquals(masks[l], s.postThresholdMasks()[l], "stationary: current mask is the post mask");
                assertEquals(counts[l], MaskCounts.count(s.newMasks()[l]), "update " + update + " layer " + l);
            }
            masks = s.newMasks();
        }
    }

    @Test
    void stationaryUpdateKeepsACountThatTheReferenceArithmeticWouldTruncate() {
        // N = 216 with 131 active: re-deriving S = 85/216 gives (1 - S) * 216 = 130.99999999999997,
        // so K = int(...) = 130 would lose a weight at every such update; stationary keeps 131.
        SplittableRandom rnd = new SplittableRandom(5);
        float[][] w = {new float[216]};
        boolean[][] m = {new boolean[216]};
        for (int i = 0; i < 131; i++) {
            m[0][i * 216 / 131] = true;
        }
        assertEquals(131, MaskCounts.count(m[0]));
        for (int update = 0; update < 5; update++) {
            for (int i = 0; i < 216; i++) {
                w[0][i] = m[0][i] ? (float) rnd.nextGaussian() : 0f;
            }
            float[][] g = Layers.gaussian(rnd, w, null);
            TopologyUpdateResult s = Requests.apply(w, m, g, OptionalDouble.empty(), 0.3, GRADIENT,
                    new SplittableRandom(update), LayerBudget.GLOBAL, null, null);
            assertEquals(131, s.layers().get(0).kept(), "update " + update);
            assertEquals(131, MaskCounts.count(s.newMasks()[0]));
            m = s.newMasks();
        }
    }

    @Test
    void userRegrowthIsPluggableAndItsContractEnforced() {
        float[][] w = {{3f, 1f, 2f, 4f}};
        boolean[][] m = allTrue(w);
        Regrowth keepFirst = (mag, mask, scores, quota, random) -> {
            boolean[] out = new boolean[mag.length];
            for (int i = 0; i < quota.activeCount(); i++) {
                out[i] = true;
            }
            return out;
        };
        // density 0.5: kk = 2, keep 3 -> S = 1/4, K = 3 -> the user criterion keeps positions 0..2
        float[][] g = {{0f, 0f, 0f, 0f}};
        TopologyUpdateResult r = Requests.apply(w, m, g, OptionalDouble.of(0.5), 0.3, keepFirst,
                new SplittableRandom(0), LayerBudget.GLOBAL, null, null);
        assertArrayEquals(new boolean[] {true, true, true, false}, r.newMasks()[0]);
        Regrowth greedy = (mag, mask, scores, quota, random) -> new boolean[] {true, true, true, true};
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Requests.apply(w, m,
                g, OptionalDouble.of(0.5), 0.3, greedy, new SplittableRandom(0), LayerBudget.GLOBAL, null,
                null));
        assertTrue(e.getMessage().contains("exactly 3") && e.getMessage().contains("got 4"), e.getMessage());
    }

    static boolean[][] allTrue(float[][] w) {
        boolean[][] m = new boolean[w.length][];
        for (int l = 0; l < w.length; l++) {
            m[l] = new boolean[w[l].length];
            java.util.Arrays.fill(m[l], true);
        }
        return m;
    }

    private static float[][] null2(Layers in) {
        return new float[in.weights.length][];
    }
}
