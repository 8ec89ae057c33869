package org.rpg4j.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rpg4j.prune.PruningConfigTest.assertMessage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.regrow.RegrowthKind;
import org.rpg4j.schedule.ScheduleKind;

class PrunerTest {
    private static final long TOTAL = 400;

    private static PruningConfig.Builder config(double sparsity) {
        return PruningConfig.builder(sparsity, TOTAL).deltaT(10);
    }

    @Test
    void reachesTheTargetWithTheReferenceCountAndMaskedWeightsStayZero() {
        TrainingSimulation sim = new TrainingSimulation(config(0.9).build(), 1);
        long n = sim.totalWeights();
        while (sim.iteration < TOTAL) {
            sim.step();
            assertEquals(0, sim.revivedCount(), "masked weights must be exactly 0.0 after iteration " + sim.iteration);
        }
        // The reference prunes kk - 1 weights, kk = round-half-even(0.9 * N): the kk-th smallest survives.
        long kk = (long) Math.rint(0.9 * n);
        UpdateSummary last = sim.pruner.lastUpdate().orElseThrow();
        assertEquals(sim.pruner.config().cadence().lastUpdateIndex(), last.updateIndex());
        assertEquals(1.0 - 0.9, last.scheduledDensity(), 0.0);
        assertEquals(n - kk + 1, last.thresholdKept());
        // Per layer the reference keeps (int)((1 - S_l) N_l), which float rounding can put one below the
        // threshold's survivors: at most one weight per layer.
        long kept = sim.keptCount();
        assertTrue(kept <= n - kk + 1 && kept >= n - kk + 1 - 3, "kept " + kept);
        assertEquals(1.0 - (double) kept / n, sim.pruner.sparsity(), 1e-12);
    }

    @Test
    void aRestoredPrunerContinuesBitIdentically() throws IOException {
        PruningConfig c = config(0.95).build();
        TrainingSimulation uninterrupted = new TrainingSimulation(c, 3);
        uninterrupted.runUntil(155);
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        uninterrupted.pruner.state().write(saved);
        Map<String, INDArray> savedWeights = copy(uninterrupted.weights);
        Map<String, INDArray> savedMomentum = copy(uninterrupted.momentum);
        uninterrupted.runUntil(TOTAL);

        TrainingSimulation resumed = new TrainingSimulation(c, 3);
        resumed.weights.forEach((name, w) -> w.assign(savedWeights.get(name)));
        resumed.momentum.forEach((name, m) -> m.assign(savedMomentum.get(name)));
        Pruner restored = Pruner.restore(c, TrainingSimulation.tensors(),
                PrunerState.read(new ByteArrayInputStream(saved.toByteArray())));
        TrainingSimulation continued = resumed.withPruner(restored, 155);
        continued.runUntil(TOTAL);

        for (String name : uninterrupted.weights.keySet()) {
            assertArrayEquals(uninterrupted.pruner.mask(name), continued.pruner.mask(name), name + " mask");
            assertArrayEquals(uninterrupted.weights.get(name), continued.weights.get(name), name + " weights");
        }
    }

    @Test
    void everyUpdateOfALongLivedPrunerEqualsTheSameUpdateOfAFreshlyRestoredOne() {
        // the pruner reads weights and gradients into buffers it keeps across updates: each update must
        // see this update's values, whatever earlier updates left there (rank loss on: its scores too)
        PruningConfig c = config(0.9).build();
        TrainingSimulation sim = new TrainingSimulation(c, 5);
        int updates = 0;
        while (sim.iteration < TOTAL) {
            if (!sim.pruner.isUpdateIteration(sim.iteration)) {
                sim.step();
                continue;
            }
            Pruner fresh = Pruner.restore(c, TrainingSimulation.tensors(), sim.pruner.state());
            Map<String, INDArray> freshWeights = copy(sim.weights);
            java.util.SplittableRandom random = new java.util.SplittableRandom(sim.iteration);
            Map<String, INDArray> gradients = new java.util.LinkedHashMap<>();
            sim.weights.forEach((name, w) -> gradients.put(name, TrainingSimulation.gaussian(random, w.shape(), 1f)));
            UpdateSummary kept = sim.pruner.updateTopology(sim.iteration, sim.weights, gradients);
            UpdateSummary restored = fresh.updateTopology(sim.iteration, freshWeights, gradients);
            assertEquals(restored.grown(), kept.grown(), "grown at update " + updates);
            assertEquals(restored.sparsity(), kept.sparsity(), 0.0, "sparsity at update " + updates);
            for (String name : sim.weights.keySet()) {
                assertArrayEquals(fresh.mask(name), sim.pruner.mask(name), name + " mask at update " + updates);
                assertArrayEquals(freshWeights.get(name), sim.weights.get(name), name + " weights at update "
                        + updates);
            }
            updates++;
            sim.iteration++;
        }
        assertTrue(updates >= 10, "updates " + updates);
    }

    @Test
    void rankLossChangesWhichConnectionsGrow() {
        TrainingSimulation plain = new TrainingSimulation(config(0.9).rankLoss(RankLoss.none()).build(), 5);
        TrainingSimulation rank = new TrainingSimulation(config(0.9).rankLoss(RankLoss.lambda(50)).build(), 5);
        plain.runUntil(TOTAL);
        rank.runUntil(TOTAL);
        assertNotEquals(plain.pruner.mask("conv2").toString(), rank.pruner.mask("conv2").toString());
        assertTrue(rank.pruner.lastUpdate().orElseThrow().activeRankLayers() == 2);
        assertEquals(0, plain.pruner.lastUpdate().orElseThrow().activeRankLayers());
        double meanK = rank.pruner.report(rank.weights).layers().stream().filter(l -> l.lastK() >= 0)
                .mapToInt(LayerReport::lastK).average().orElseThrow();
        assertEquals(meanK, rank.pruner.lastUpdate().orElseThrow().meanTruncationRank(), 1e-12);
        assertTrue(Double.isNaN(plain.pruner.lastUpdate().orElseThrow().meanTruncationRank()));
    }

    @Test
    void noRegrowthIsPlainGradualMagnitudePruning() {
        TrainingSimulation sim = new TrainingSimulation(config(0.8).regrowth(RegrowthKind.NONE).build(), 2);
        sim.runUntil(TOTAL);
        assertEquals(0, sim.pruner.lastUpdate().orElseThrow().grown());
        assertEquals(0, sim.revivedCount());
    }

    @Test
    void constantScheduleStartsSparse() {
        TrainingSimulation sim = new TrainingSimulation(config(0.5).schedule(ScheduleKind.CONSTANT).build(), 4);
        assertEquals(0.5, sim.pruner.sparsity(), 0.01);
        assertEquals(0, sim.revivedCount());
    }

    @Test
    void regulariserModeAddsTheRankGradientOnItsCadenceOnly() {
        PruningConfig c = config(0.9).rankLoss(RankLoss.lambda(1).mode(RankLossMode.REGULARISER).rankEvery(5))
                .build();
        Pruner p = Pruner.create(c, TrainingSimulation.tensors());
        assertTrue(p.addsRankGradient(4));
        assertFalse(p.addsRankGradient(5));
        assertFalse(p.addsRankGradient(9), "update iterations take no rank step");
        assertFalse(Pruner.create(config(0.9).build(), TrainingSimulation.tensors()).addsRankGradient(4));
    }

    @Test
    void reportListsEveryLayer() {
        TrainingSimulation sim = new TrainingSimulation(config(0.9).build(), 6);
        sim.runUntil(TOTAL);
        PruningReport report = sim.pruner.report(sim.weights);
        assertEquals(3, report.layers().size());
        assertEquals(sim.pruner.sparsity(), report.globalSparsity(), 1e-12);
        String table = report.toString();
        assertTrue(table.contains("conv2") && table.contains("global sparsity"), table);
        assertTrue(report.toJson().contains("\"deltaRank\""));
        assertTrue(report.layers().get(0).lastK() > 0);
    }

    @Test
    void reportCountsOnlyExactZeros() {
        PruningConfig c = config(0.9).build();
        Pruner p = Pruner.create(c, TrainingSimulation.tensors());
        Map<String, INDArray> weights = new HashMap<>();
        for (PrunableTensor t : TrainingSimulation.tensors()) {
            // 1e-7 is below ND4J's 1e-5 equality tolerance but is not a pruned weight.
            weights.put(t.name(), Nd4j.valueArrayOf(t.shape(), 1e-7f));
        }
        weights.get("conv1").putScalar(0, 0.0f);
        PruningReport report = p.report(weights);
        assertEquals(1, report.parameters() - report.nonZeros());
        assertEquals(215, report.layers().get(0).nonZeros());
    }

    @Test
    void badInputIsRejectedByName() {
        PruningConfig c = config(0.9).build();
        assertMessage(() -> Pruner.create(c, List.of()), "tensors", "empty");
        PrunableTensor t = TrainingSimulation.tensors().get(0);
        assertMessage(() -> Pruner.create(c, List.of(t, t)), "unique", "conv1");
        TrainingSimulation sim = new TrainingSimulation(c, 1);
        Map<String, INDArray> wrongShape = new HashMap<>(sim.weights);
        wrongShape.put("conv1", Nd4j.zeros(DataType.FLOAT, 8, 27));
        assertMessage(() -> sim.pruner.updateTopology(9, sim.weights, wrongShape), "denseGradients", "conv1",
                "[8, 27]");
        Map<String, INDArray> missing = new HashMap<>(sim.weights);
        missing.remove("fc");
        assertMessage(() -> sim.pruner.updateTopology(9, sim.weights, missing), "denseGradients", "fc");
        assertMessage(() -> sim.pruner.updateTopology(8, sim.weights, sim.weights), "iteration 8");
        Map<String, INDArray> nan = copy(sim.weights);
        nan.get("conv2").putScalar(3, Float.NaN);
        assertMessage(() -> sim.pruner.updateTopology(9, nan, sim.weights), "weights of 'conv2' must be finite",
                "NaN at flat index 3");
        Map<String, INDArray> negativeInfinity = copy(sim.weights);
        negativeInfinity.get("fc").putScalar(0, Float.NEGATIVE_INFINITY);
        assertMessage(() -> sim.pruner.updateTopology(9, negativeInfinity, sim.weights), "weights of 'fc' must be "
                + "finite", "-Infinity at flat index 0");
        assertMessage(() -> sim.pruner.updateTopology(9, sim.weights, negativeInfinity), "scores of 'fc' (its dense "
                + "gradient) must be finite", "-Infinity at flat index 0");
        assertMessage(() -> sim.pruner.updateTopology(9, sim.weights, nan), "scores of 'conv2' (its dense gradient) "
                + "must be finite", "NaN at flat index 3");
        assertMessage(() -> sim.pruner.mask("nope"), "name", "nope");
    }

    static Map<String, INDArray> copy(Map<String, INDArray> arrays) {
        Map<String, INDArray> copy = new java.util.LinkedHashMap<>();
        arrays.forEach((k, v) -> copy.put(k, v.dup(v.ordering())));
        return copy;
    }

    private static void assertArrayEquals(INDArray expected, INDArray actual, String what) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected.dup('c').data().asFloat(),
                actual.dup('c').data().asFloat(), what);
    }
}
