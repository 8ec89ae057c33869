package org.rpg4j.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rpg4j.tensor.HostAccess;
import org.rpg4j.tensor.Routes;

/**
 * A whole pruning run (three tensors, one of them an F-order dense weight, rank loss on) on the CPU
 * fast paths and on the ND4J-generic fallback that other backends take ({@link HostAccess.Mode#GENERIC}:
 * no host-pointer copies, LAPACK {@code dsyev} through ND4J instead of {@code dsyevd} through
 * OpenBLAS): the same masks and weights, the same k per layer at every update, the rank loss to
 * {@link #SAME_LOSS}.
 */
class HostAccessFallbackTest {
    private static final long TOTAL = 200;
    /** The two eigensolvers agree to rounding (GramEigenSolverTest: 1e-10). */
    private static final double SAME_LOSS = 1e-10;

    private record Run(TrainingSimulation sim, List<UpdateSummary> updates, List<int[]> ks) {
    }

    private static Run run() {
        PruningConfig config = PruningConfig.builder(0.9, TOTAL).deltaT(10)
                .rankLoss(RankLoss.lambda(50)).build();
        TrainingSimulation sim = new TrainingSimulation(config, 7);
        List<UpdateSummary> updates = new ArrayList<>();
        List<int[]> ks = new ArrayList<>();
        while (sim.iteration < TOTAL) {
            boolean update = sim.pruner.isUpdateIteration(sim.iteration);
            sim.step();
            if (update) {
                updates.add(sim.pruner.lastUpdate().orElseThrow());
                ks.add(sim.pruner.state().lastK());
            }
        }
        return new Run(sim, updates, ks);
    }

    @Test
    void theGenericFallbackGivesTheMasksKAndLossOfTheCpuFastPaths() {
        Run fast = Routes.on(HostAccess.Mode.AUTO, HostAccessFallbackTest::run);
        Run generic = Routes.on(HostAccess.Mode.GENERIC, HostAccessFallbackTest::run);
        assertEquals(fast.updates().size(), generic.updates().size());
        assertTrue(fast.updates().size() >= 10, "updates: " + fast.updates().size());
        for (int u = 0; u < fast.updates().size(); u++) {
            UpdateSummary a = fast.updates().get(u);
            UpdateSummary b = generic.updates().get(u);
            assertTrue(a.activeRankLayers() > 0, "the rank loss must be active at update " + u);
            assertArrayEquals(fast.ks().get(u), generic.ks().get(u), "k at update " + u);
            assertEquals(a.rankLoss(), b.rankLoss(), SAME_LOSS, "rank loss at update " + u);
            assertEquals(a.sparsity(), b.sparsity(), 0.0, "sparsity at update " + u);
            assertEquals(a.grown(), b.grown(), "grown at update " + u);
        }
        for (String name : fast.sim().weights.keySet()) {
            assertArrayEquals(fast.sim().pruner.mask(name).data().asFloat(),
                    generic.sim().pruner.mask(name).data().asFloat(), name + " mask");
            assertArrayEquals(fast.sim().weights.get(name).dup('c').data().asFloat(),
                    generic.sim().weights.get(name).dup('c').data().asFloat(), 1e-6f, name + " weights");
        }
    }
}
