package org.rpg4j.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.mask.LayerBudget;
import org.rpg4j.prune.RankLayers;
import org.rpg4j.prune.RankLossMode;
import org.rpg4j.regrow.RegrowthKind;

class MethodConfigTest {
    private static final PruningSettings SETTINGS = new PruningSettings(0.95, 3.0, 0.2, 50, 0.8, 0.8, 0.3, 7,
            RankLayers.CONVOLUTIONS, LayerBudget.ERK);

    @Test
    void methodsDifferOnlyInRegrowthAndRankLoss() {
        PruningConfig gmp = AdapterPruning.config(Method.GMP, SETTINGS, 1000);
        assertEquals(RegrowthKind.NONE, gmp.regrowth());
        assertFalse(gmp.rankLoss().enabled());
        PruningConfig rigl = AdapterPruning.config(Method.RIGL, SETTINGS, 1000);
        assertEquals(RegrowthKind.GRADIENT, rigl.regrowth());
        assertFalse(rigl.rankLoss().enabled());
        PruningConfig rpg = AdapterPruning.config(Method.RPG, SETTINGS, 1000);
        assertEquals(RegrowthKind.GRADIENT, rpg.regrowth());
        assertEquals(3.0, rpg.rankLoss().lambda());
        assertEquals(0.2, rpg.rankLoss().partialK());
        assertEquals(RankLossMode.REFERENCE, rpg.rankLoss().mode());
        assertEquals(RankLayers.CONVOLUTIONS, rpg.rankLoss().layers());
        PruningSettings all = new PruningSettings(0.95, 3.0, 0.2, 50, 0.8, 0.8, 0.3, 7, RankLayers.ALL_PRUNABLE,
                LayerBudget.GLOBAL);
        assertEquals(RankLayers.ALL_PRUNABLE, AdapterPruning.config(Method.RPG_REG, all, 1000).rankLoss().layers());
        assertEquals(RankLossMode.REGULARISER, AdapterPruning.config(Method.RPG_REG, SETTINGS, 1000).rankLoss().mode());
        for (PruningConfig c : new PruningConfig[] {gmp, rigl, rpg}) {
            assertEquals(0.95, c.targetSparsity());
            assertEquals(1000, c.totalIterations());
            assertEquals(50, c.deltaT());
            assertEquals(LayerBudget.ERK, c.budget());
            assertEquals(0.8, c.rampEndFraction());
            assertEquals(0.8, c.updateEndFraction());
            assertEquals(7, c.seed());
        }
        assertThrows(IllegalArgumentException.class, () -> AdapterPruning.config(Method.DENSE, SETTINGS, 1000));
    }

    @Test
    void tooFewIterationsForTheCadenceAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AdapterPruning.config(Method.RPG, SETTINGS, 60));
        assertTrue(e.getMessage().contains("deltaT") || e.getMessage().contains("tEnd"), e.getMessage());
    }
}
