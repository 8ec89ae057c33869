package org.rpg4j.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rpg4j.examples.cli.PruningOptions;
import org.rpg4j.mask.LayerBudget;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.PruningConfigException;
import org.rpg4j.prune.PruningDefaults;
import org.rpg4j.prune.RankLayers;
import org.rpg4j.prune.RankLossMode;
import org.rpg4j.regrow.RegrowthKind;
import org.rpg4j.schedule.UpdatePlacement;
import picocli.CommandLine;

class MethodConfigTest {
    private static PruningOptions options(String... args) {
        PruningOptions options = new PruningOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    private static final PruningOptions OPTIONS = options("--lambda", "3", "--partial-k", "0.2", "--delta-t", "50",
            "--ramp-end", "0.8", "--update-end", "0.8");

    @Test
    void methodsDifferOnlyInRegrowthAndRankLoss() {
        PruningConfig gmp = AdapterPruning.config(Method.GMP, 0.95, OPTIONS, 7, 1000);
        assertEquals(RegrowthKind.NONE, gmp.regrowth());
        assertFalse(gmp.rankLoss().enabled());
        PruningConfig rigl = AdapterPruning.config(Method.RIGL, 0.95, OPTIONS, 7, 1000);
        assertEquals(RegrowthKind.GRADIENT, rigl.regrowth());
        assertFalse(rigl.rankLoss().enabled());
        PruningConfig rpg = AdapterPruning.config(Method.RPG, 0.95, OPTIONS, 7, 1000);
        assertEquals(RegrowthKind.GRADIENT, rpg.regrowth());
        assertEquals(3.0, rpg.rankLoss().lambda());
        assertEquals(0.2, rpg.rankLoss().partialK());
        assertEquals(RankLossMode.REFERENCE, rpg.rankLoss().mode());
        assertEquals(RankLayers.CONVOLUTIONS, rpg.rankLoss().layers());
        PruningOptions all = options("--rank-layers", "all");
        assertEquals(RankLayers.ALL_PRUNABLE, AdapterPruning.config(Method.RPG_REG, 0.95, all, 7, 1000).rankLoss()
                .layers());
        assertEquals(RankLossMode.REGULARISER, AdapterPruning.config(Method.RPG_REG, 0.95, OPTIONS, 7, 1000).rankLoss()
                .mode());
        for (PruningConfig c : new PruningConfig[] {gmp, rigl, rpg}) {
            assertEquals(0.95, c.targetSparsity());
            assertEquals(1000, c.totalIterations());
            assertEquals(50, c.deltaT());
            assertEquals(0.8, c.rampEndFraction());
            assertEquals(0.8, c.updateEndFraction());
            assertEquals(7, c.seed());
        }
        assertThrows(IllegalArgumentException.class, () -> AdapterPruning.config(Method.DENSE, 0.95, OPTIONS, 7, 1000));
    }

    @Test
    void mixinDefaultsAreTheCoresAndEveryOptionReachesTheConfig() {
        PruningConfig defaults = AdapterPruning.config(Method.RPG, 0.9, new PruningOptions(), 42, 1000);
        assertEquals(PruningConfig.builder(0.9, 1000).build(), defaults);
        PruningConfig c = AdapterPruning.config(Method.RPG, 0.9, options("--budget", "erk", "--update-placement",
                "reference", "--alpha", "0.2", "--max-layer-sparsity", "conv1|fc=0.8", "--max-layer-sparsity",
                "conv.*=0.99"), 42, 1000);
        assertEquals(LayerBudget.ERK, c.budget());
        assertEquals(UpdatePlacement.REFERENCE, c.updatePlacement());
        assertEquals(0.2, c.alpha());
        assertEquals(0.8, c.layers().maxSparsity("conv1"));
        assertEquals(0.99, c.layers().maxSparsity("conv2"));
        assertEquals(1.0, c.layers().maxSparsity("dense"));
        assertEquals(PruningDefaults.DELTA_T, c.deltaT());
    }

    @Test
    void argumentsListTheNonDefaultOptionsAndParseBack() {
        PruningOptions o = options("--budget", "erk", "--update-placement", "reference", "--lambda", "4",
                "--max-layer-sparsity", "fc=0.8", "--rank-layers", "all");
        assertEquals(List.of("--lambda", "4.0", "--rank-layers", "all", "--update-placement", "reference", "--budget",
                "erk", "--max-layer-sparsity", "fc=0.8"), o.arguments(Set.of()));
        assertEquals(o.asMap(), options(o.arguments(Set.of()).toArray(new String[0])).asMap());
        assertEquals(o.asMap(), o.copy().asMap());
        assertEquals(List.of("--lambda", "4.0"), options("--lambda", "4", "--delta-t", "5").arguments(
                Set.of("--delta-t")));
        assertEquals(List.of(), new PruningOptions().arguments(Set.of()));
    }

    @Test
    void coreErrorsRenderWithTheOptionNames() {
        PruningConfigException e = assertThrows(PruningConfigException.class,
                () -> AdapterPruning.config(Method.RPG, 0.95, OPTIONS, 7, 60));
        assertEquals("--ramp-end (0.8) of totalIterations (60) is 48 iterations, shorter than --delta-t (50): the ramp "
                + "needs at least one update; raise --ramp-end or lower --delta-t", e.message(
                        PruningOptions::optionName));
        for (String setting : new String[] {"lambda", "partialK", "deltaT", "rampEndFraction",
                "updateEndFraction", "updatePlacement", "budget", "alpha", "maxSparsity"}) {
            assertFalse(PruningOptions.optionName(setting).equals(setting), setting + " has an option");
        }
        assertEquals("--update-end", PruningOptions.optionName("updateEndFraction"));
        assertEquals("totalIterations", PruningOptions.optionName("totalIterations"));
    }
}
