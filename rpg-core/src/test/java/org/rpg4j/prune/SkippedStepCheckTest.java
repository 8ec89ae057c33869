package org.rpg4j.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rpg4j.regrow.RegrowthKind;

/**
 * A topology update that regrows skips its iteration's optimizer step: {@link PruningConfig#skippedSteps()}
 * counts them, and {@link PruningConfig.Builder#build()} refuses a run that skips more than half of
 * its steps (deltaT 1 with the default fractions: no training while it prunes).
 */
class SkippedStepCheckTest {
    @Test
    void countsOneSkippedStepPerUpdateThatRegrows() {
        // T = 1000, tEnd = floor(0.901 * 1000) = 901: (901 - 1) / deltaT updates
        assertEquals(9, PruningConfig.builder(0.9, 1000).build().skippedSteps()); // deltaT 100
        PruningConfig two = PruningConfig.builder(0.9, 1000).deltaT(2).build();
        assertEquals(450, two.skippedSteps());
        assertEquals(0.45, two.skippedStepFraction(), 0.0);
        assertTrue(two.skipsStepAtUpdates());
        // without regrowth, or with a drop fraction of 0, every step is taken
        PruningConfig gmp = PruningConfig.builder(0.9, 1000).deltaT(1).regrowth(RegrowthKind.NONE).build();
        assertFalse(gmp.skipsStepAtUpdates());
        assertEquals(0, gmp.skippedSteps());
        assertEquals(0, PruningConfig.builder(0.9, 1000).deltaT(1).alpha(0.0).build().skippedSteps());
    }

    @Test
    void deltaTOneWithRegrowthIsRefusedNamingTheValueAndWhatIsAllowed() {
        // 900 of 1000 steps skipped
        PruningConfigException e = assertThrows(PruningConfigException.class,
                () -> PruningConfig.builder(0.9, 1000).deltaT(1).build());
        assertEquals("deltaT (1) skips the optimizer step at 900 of the 1000 iterations of totalIterations (90.0 %): "
                + "with regrowth (regrowth GRADIENT, alpha 0.3) each topology update takes the place of its "
                + "iteration's step, as in the reference, so the network would hardly train while it is pruned; "
                + "allowed: at most 50 % of the iterations skipped. Raise deltaT (from 10 on, under 10 % are skipped) "
                + "or lower updateEndFraction; regrowth NONE or alpha 0 skips no step", e.getMessage());
        assertEquals(List.of("deltaT", "totalIterations", "regrowth", "alpha", "updateEndFraction"), e.settings());
        assertTrue(e instanceof IllegalArgumentException);
    }

    @Test
    void halfTheStepsIsTheLimit() {
        // T = 4: tEnd = floor(3.604) = 3, updates at steps 1 and 2: 2 of 4 skipped, allowed
        assertEquals(2, PruningConfig.builder(0.9, 4).deltaT(1).build().skippedSteps());
        // T = 5: tEnd = floor(4.505) = 4, 3 of 5 skipped: refused
        assertThrows(PruningConfigException.class, () -> PruningConfig.builder(0.9, 5).deltaT(1).build());
        // deltaT 1 is fine when updates stop early: T = 100, tEnd = 3, 2 of 100 skipped
        PruningConfig early = PruningConfig.builder(0.9, 100).deltaT(1).rampEndFraction(0.02).updateEndFraction(0.03)
                .build();
        assertEquals(2, early.skippedSteps());
    }

    @Test
    void aRefusedConfigurationCannotComeBackThroughJson() {
        String valid = PruningConfig.builder(0.9, 1000).deltaT(2).build().toJson();
        String json = valid.replaceFirst("\"deltaT\"\\s*:\\s*2,", "\"deltaT\" : 1,");
        assertNotEquals(valid, json, "the JSON holds deltaT 2");
        PruningConfigException e = assertThrows(PruningConfigException.class, () -> PruningConfig.fromJson(json));
        assertTrue(e.getMessage().startsWith("deltaT (1) skips the optimizer step at 900 of the 1000"),
                e.getMessage());
    }
}
