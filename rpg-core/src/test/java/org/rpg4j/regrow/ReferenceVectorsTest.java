package org.rpg4j.regrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.rpg4j.mask.GlobalMagnitudeSelection;
import org.rpg4j.mask.LayerBudget;
import org.rpg4j.schedule.CosineDropFraction;
import org.rpg4j.schedule.PruningSchedule;
import org.rpg4j.schedule.ScheduleKind;
import org.rpg4j.schedule.UpdateCadence;

/**
 * Replays {@code topology-update-vectors.json}: a trajectory of topology updates recorded from the
 * reference {@code RigLScheduler._rigl_step} (float32, CPU). Its {@code iteration} field is the
 * reference's {@code step}: update {@code r} runs at step {@code (r + 1) * deltaT}, which is our
 * 0-based iteration {@code step - 1}. Its {@code layerSparsity} is the reference's {@code self.S}:
 * the zero fraction of the <em>post-threshold</em> mask, not of the final mask (they differ when
 * {@code K = int((1 - S) * N)} truncates).
 */
class ReferenceVectorsTest {
    /** Weights are products of the input by 0 or 1: exact equality expected. */
    private static final float WEIGHT_TOLERANCE = 0.0f;
    private static final double SPARSITY_TOLERANCE = 0.0;

    private static JsonNode trajectory;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = ReferenceVectorsTest.class.getResourceAsStream("topology-update-vectors.json")) {
            assertNotNull(in, "topology-update-vectors.json must be on the test class path");
            JsonNode root = new ObjectMapper().readTree(in);
            String layout = root.get("layout").asText();
            assertTrue(layout.contains("row-major") && layout.contains("(r+1)*deltaT")
                    && layout.contains("input is the state just before"), "layout changed: " + layout);
            assertEquals(1, root.get("trajectories").size());
            trajectory = root.get("trajectories").get(0);
        }
    }

    private static UpdateCadence referenceCadence() {
        long total = trajectory.get("totalIterations").asLong();
        return UpdateCadence.reference(total, trajectory.get("deltaT").asInt(),
                trajectory.get("rampEnd").asDouble() / total, trajectory.get("tEnd").asDouble() / total);
    }

    @Test
    void cadenceMatchesTheFile() {
        UpdateCadence c = referenceCadence();
        assertEquals(trajectory.get("tEnd").asLong(), c.tEnd());
        assertEquals(trajectory.get("rampUpdates").asInt(), c.rampUpdates());
        assertEquals(trajectory.get("deltaT").asInt(), c.deltaT());
    }

    @Test
    void everyUpdateMatchesTheReference() {
        UpdateCadence cadence = referenceCadence();
        double target = trajectory.get("targetDensity").asDouble();
        PruningSchedule schedule = new PruningSchedule(ScheduleKind.EXPONENTIAL, target, cadence);
        CosineDropFraction drop = new CosineDropFraction(trajectory.get("alpha").asDouble(), cadence.tEnd());
        long[][] shapes = longs2(trajectory.get("shapes"));
        JsonNode updates = trajectory.get("updates");
        assertEquals(cadence.lastUpdateIndex() + 1, updates.size(), "one recorded update per scheduled update");
        boolean sawTruncation = false;
        for (JsonNode u : updates) {
            int r = u.get("update").asInt();
            long iteration = u.get("iteration").asLong() - 1;
            assertTrue(cadence.isUpdateIteration(iteration), "update " + r);
            assertEquals(r, cadence.updateIndex(iteration));
            assertFalse(schedule.reachesTargetAt(r), "the vectors never reach the target");
            float[][] weights = floats2(u.get("input").get("weights"));
            boolean[][] masks = bools2(u.get("input").get("masks"));
            float[][] gradients = floats2(u.get("input").get("denseGradients"));
            checkInputWeightsAreMasked(weights, masks, r);
            float[][] weightsCopy = copy(weights);
            double density = schedule.densityAtUpdate(r);
            TopologyUpdateResult result = Requests.apply(weights, masks, gradients, OptionalDouble.of(density),
                    drop.at(iteration), RegrowthKind.GRADIENT.regrowth(), new SplittableRandom(0), LayerBudget.GLOBAL,
                    shapes, null);
            JsonNode out = u.get("output");
            boolean[][] expectedMasks = bools2(out.get("masks"));
            float[][] expectedWeights = floats2(out.get("weights"));
            double[] expectedSparsity = doubles(out.get("layerSparsity"));
            long n = 0;
            for (int l = 0; l < weights.length; l++) {
                n += weights[l].length;
                assertArrayEquals(expectedMasks[l], result.newMasks()[l], "masks, update " + r + " layer " + l);
                float[] kept = new float[weights[l].length];
                for (int i = 0; i < kept.length; i++) {
                    kept[i] = result.weightKeepMasks()[l][i] ? weights[l][i] : 0.0f;
                }
                assertArrayEquals(expectedWeights[l], kept, WEIGHT_TOLERANCE, "weights, update " + r + " layer " + l);
                assertArrayEquals(weightsCopy[l], weights[l], "input weights must be unmodified");
                LayerUpdate layer = result.layers().get(l);
                assertEquals(expectedSparsity[l], layer.layerSparsity(), SPARSITY_TOLERANCE,
                        "layerSparsity is the post-threshold S_l, update " + r + " layer " + l);
                sawTruncation |= layer.kept() < layer.survivors() && !layer.skipped();
            }
            assertEquals(GlobalMagnitudeSelection.keptCount(n, 1.0 - density), result.thresholdSurvivors(),
                    "global threshold keeps N - kk + 1, update " + r);
        }
        assertTrue(sawTruncation, "the vectors contain layers where K = int((1 - S) * N) < N - zeros");
    }

    @Test
    void referenceTrajectoryMissesTheTargetWhileReachingTargetHitsIt() {
        UpdateCadence ref = referenceCadence();
        assertTrue(ref.lastUpdateIndex() < ref.rampUpdates(), "last update r < R in the reference");
        long total = trajectory.get("totalIterations").asLong();
        UpdateCadence fixed = UpdateCadence.reachingTarget(total, ref.deltaT(),
                trajectory.get("rampEnd").asDouble() / total, trajectory.get("tEnd").asDouble() / total);
        double target = trajectory.get("targetDensity").asDouble();
        PruningSchedule schedule = new PruningSchedule(ScheduleKind.EXPONENTIAL, target, fixed);
        assertEquals(target, schedule.densityAtUpdate(fixed.lastUpdateIndex()), 0.0);
        assertTrue(schedule.reachesTargetAt(fixed.lastUpdateIndex()));
        assertEquals(ref.lastUpdateIndex(), fixed.lastUpdateIndex());
    }

    private static void checkInputWeightsAreMasked(float[][] weights, boolean[][] masks, int r) {
        for (int l = 0; l < weights.length; l++) {
            for (int i = 0; i < weights[l].length; i++) {
                assertTrue(masks[l][i] || weights[l][i] == 0.0f, "update " + r + ": masked weight not 0");
            }
        }
    }

    private static float[][] floats2(JsonNode node) {
        float[][] a = new float[node.size()][];
        for (int l = 0; l < a.length; l++) {
            JsonNode row = node.get(l);
            a[l] = new float[row.size()];
            for (int i = 0; i < a[l].length; i++) {
                a[l][i] = (float) row.get(i).asDouble();
            }
        }
        return a;
    }

    private static boolean[][] bools2(JsonNode node) {
        boolean[][] a = new boolean[node.size()][];
        for (int l = 0; l < a.length; l++) {
            JsonNode row = node.get(l);
            a[l] = new boolean[row.size()];
            for (int i = 0; i < a[l].length; i++) {
                int v = row.get(i).asInt();
                assertTrue(v == 0 || v == 1, "mask entries are 0 or 1");
                a[l][i] = v == 1;
            }
        }
        return a;
    }

    private static long[][] longs2(JsonNode node) {
        long[][] a = new long[node.size()][];
        for (int l = 0; l < a.length; l++) {
            a[l] = new long[node.get(l).size()];
            for (int i = 0; i < a[l].length; i++) {
                a[l][i] = node.get(l).get(i).asLong();
            }
        }
        return a;
    }

    private static double[] doubles(JsonNode node) {
        double[] a = new double[node.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = node.get(i).asDouble();
        }
        return a;
    }

    private static float[][] copy(float[][] a) {
        float[][] c = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }
}
