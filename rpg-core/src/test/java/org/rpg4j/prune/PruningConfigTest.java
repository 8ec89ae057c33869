package org.rpg4j.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.rpg4j.mask.LayerBudget;
import org.rpg4j.regrow.RegrowthKind;
import org.rpg4j.schedule.CosineDropFraction;
import org.rpg4j.schedule.ScheduleKind;
import org.rpg4j.schedule.UpdateCadence;
import org.rpg4j.schedule.UpdatePlacement;

class PruningConfigTest {

    private static PruningConfig.Builder valid() {
        return PruningConfig.builder(0.9, 1000);
    }

    @Test
    void defaultsFollowTheReferenceRecipe() {
        PruningConfig c = valid().build();
        assertEquals(100, c.deltaT());
        assertEquals(0.9, c.rampEndFraction());
        assertEquals(0.901, c.updateEndFraction());
        assertEquals(ScheduleKind.EXPONENTIAL, c.schedule());
        assertEquals(LayerBudget.GLOBAL, c.budget());
        assertEquals(RegrowthKind.GRADIENT, c.regrowth());
        assertEquals(0.3, c.alpha());
        assertEquals(0.5, c.rankLoss().lambda());
        assertEquals(0.1, c.rankLoss().partialK());
        assertEquals(RankLossMode.REFERENCE, c.rankLoss().mode());
        assertEquals(RankLayers.CONVOLUTIONS, c.rankLoss().layers());
        assertEquals(UnsupportedLayerPolicy.LENIENT, c.unsupportedLayers());
        assertEquals(42, c.seed());
        assertEquals(UpdatePlacement.REACHING_TARGET, c.updatePlacement());
    }

    @Test
    void scheduleReachesTheTargetDensityAtItsLastRampUpdate() {
        PruningConfig c = valid().build();
        int last = c.cadence().lastUpdateIndex();
        assertTrue(c.pruningSchedule().reachesTargetAt(last), c.pruningSchedule().toString());
        assertEquals(1.0 - 0.9, c.pruningSchedule().densityAtUpdate(last), 0.0);
    }

    @Test
    void jsonRoundTripKeepsEveryValue() {
        PruningConfig c = PruningConfig.builder(0.98, 12345).deltaT(50).rampEndFraction(0.8)
                .updateEndFraction(0.85).schedule(ScheduleKind.CUBIC).budget(LayerBudget.ERK)
                .regrowth(RegrowthKind.RANDOM).alpha(0.2).updatePlacement(UpdatePlacement.REFERENCE)
                .rankLoss(RankLoss.lambda(4).partialK(0.2).mode(RankLossMode.REGULARISER).rankEvery(10)
                        .layers(RankLayers.ALL_PRUNABLE).minLayerSparsity(0.5))
                .layers(LayerSelection.all().includeTypes("ConvolutionLayer").includeMatching("fc.*")
                        .excludeNames("stem").maxSparsity("fc.*", 0.9))
                .unsupportedLayers(UnsupportedLayerPolicy.STRICT).seed(7).build();
        PruningConfig back = PruningConfig.fromJson(c.toJson());
        assertEquals(c, back);
        assertEquals(c.toJson(), back.toJson());
    }

    @Test
    void toStringNamesTheValues() {
        String s = valid().deltaT(25).build().toString();
        assertTrue(s.contains("targetSparsity=0.9"), s);
        assertTrue(s.contains("deltaT=25"), s);
        assertTrue(s.contains("lambda=0.5"), s);
    }

    @Test
    void targetSparsityOutsideUnitIntervalIsRejected() {
        assertMessage(() -> PruningConfig.builder(1.0, 1000).build(), "targetSparsity", "1.0");
        assertMessage(() -> PruningConfig.builder(-0.1, 1000).build(), "targetSparsity", "-0.1");
        assertMessage(() -> PruningConfig.builder(Double.NaN, 1000).build(), "targetSparsity",
                "NaN");
    }

    @Test
    void negativeLambdaIsRejected() {
        assertMessage(() -> RankLoss.lambda(-1), "lambda", "-1.0");
        assertMessage(() -> RankLoss.lambda(Double.POSITIVE_INFINITY), "lambda", "Infinity");
    }

    @Test
    void partialKOutsideUnitIntervalIsRejected() {
        assertMessage(() -> RankLoss.lambda(1).partialK(1.5), "partialK", "1.5");
        assertMessage(() -> RankLoss.lambda(1).partialK(-0.01), "partialK", "-0.01");
    }

    @Test
    void deltaTBelowOneIsRejected() {
        assertMessage(() -> valid().deltaT(0).build(), "deltaT", "0");
    }

    @Test
    void totalIterationsBelowDeltaTIsRejected() {
        assertMessage(() -> PruningConfig.builder(0.5, 99).build(), "totalIterations", "99");
    }

    @Test
    void cadenceErrorsUseTheBuildersSettingsAndSayWhatToChange() {
        assertExact(() -> PruningConfig.builder(0.5, 3).build(),
                "deltaT (100) is larger than totalIterations (3): lower deltaT to at most 3 or train longer");
        assertExact(() -> PruningConfig.builder(0.5, 0).deltaT(1).build(), "totalIterations must be >= 1, got 0");
        assertExact(() -> valid().rampEndFraction(0.05).build(), "rampEndFraction (0.05) of totalIterations (1000) is "
                + "50 iterations, shorter than deltaT (100): the ramp needs at least one update; raise rampEndFraction "
                + "or lower deltaT");
        // tEnd = floor(0.2 * 1000) = 200: updates at steps 100 only (step 200 is not < tEnd): 1 update
        assertExact(() -> valid().rampEndFraction(0.1).updateEndFraction(0.2).build(), "updateEndFraction (0.2) of "
                + "totalIterations (1000) leaves room for 1 topology update(s) every deltaT (100) iterations before "
                + "iteration 200; updatePlacement REACHING_TARGET needs at least 2 (update 0 prunes nothing): lower "
                + "deltaT to at most 99, or raise updateEndFraction or totalIterations");
        // the reference placement needs only one update there
        assertEquals(0, valid().rampEndFraction(0.1).updateEndFraction(0.2)
                .updatePlacement(UpdatePlacement.REFERENCE).build().cadence().lastUpdateIndex());
        assertExact(() -> valid().rampEndFraction(0.9).updateEndFraction(0.8).build(), "updateEndFraction (0.8) is "
                + "below rampEndFraction (0.9): updates must run until the ramp ends; raise updateEndFraction or lower "
                + "rampEndFraction");
    }

    @Test
    void errorsRenderWithAFrontEndsNames() {
        PruningConfigException e = assertThrows(PruningConfigException.class,
                () -> PruningConfig.builder(0.5, 3).build());
        assertEquals(List.of("deltaT", "totalIterations"), e.settings());
        assertEquals("--delta-t (100) is larger than --max-iterations (3): lower --delta-t to at most 3 or train "
                + "longer", e.message(n -> n.equals("deltaT") ? "--delta-t" : "--max-iterations"));
        PruningConfigException lambda = assertThrows(PruningConfigException.class, () -> RankLoss.lambda(-2));
        assertEquals("--lambda must be finite and >= 0, got -2.0", lambda.message(n -> "--" + n));
    }

    @Test
    void theDerivedScheduleIsBuiltOnce() {
        PruningConfig c = valid().build();
        assertSame(c.pruningSchedule(), c.pruningSchedule());
        assertSame(c.dropFraction(), c.dropFraction());
        assertSame(c.pruningSchedule().cadence(), c.cadence());
        // 1000 iterations, deltaT 100: tEnd = 901, updates r = 0..8 at steps 100..900; R = min(900 / 100, 8) = 8
        assertEquals(8, c.firstUpdateAtTarget());
        assertEquals(new CosineDropFraction(0.3, 901), c.dropFraction());
    }

    @Test
    void referencePlacementReproducesTheReferenceCifarDensities() {
        // CIFAR recipe: both fractions 0.8. T = 1000, deltaT 100: tEnd = 800, R = 8, updates r = 0..6
        // (steps 100..700). The reference's last update is r = 6 < R: density D^(6/8), never D.
        PruningConfig reference = valid().rampEndFraction(0.8).updateEndFraction(0.8)
                .updatePlacement(UpdatePlacement.REFERENCE).build();
        assertEquals(UpdateCadence.reference(1000, 100, 0.8, 0.8), reference.cadence());
        assertEquals(8, reference.cadence().rampUpdates());
        assertEquals(6, reference.cadence().lastUpdateIndex());
        for (int r = 0; r <= 6; r++) {
            // math_policies.exponential: pow(pow(D, 1 / R), r), D = 1 - 0.9
            assertEquals(Math.pow(Math.pow(1.0 - 0.9, 1.0 / 8), r), reference.pruningSchedule().densityAtUpdate(r),
                    0.0);
        }
        assertEquals(Integer.MAX_VALUE, reference.firstUpdateAtTarget(), "the reference never reaches the target");
        PruningConfig reaching = reference.toBuilder().updatePlacement(UpdatePlacement.REACHING_TARGET).build();
        assertEquals(6, reaching.cadence().rampUpdates());
        assertEquals(1.0 - 0.9, reaching.pruningSchedule().densityAtUpdate(6), 0.0);
        assertEquals(6, reaching.firstUpdateAtTarget());
    }

    @Test
    void formatOneJsonReadsWithTheReachingTargetPlacement() {
        PruningConfig c = valid().deltaT(50).build();
        String formatOne = c.toJson().replace("\"format\" : 2", "\"format\" : 1")
                .replaceAll(",\\s*\"updatePlacement\" : \"REACHING_TARGET\"", "");
        assertFalse(formatOne.contains("updatePlacement"), formatOne);
        assertEquals(c, PruningConfig.fromJson(formatOne));
        String reference = valid().updatePlacement(UpdatePlacement.REFERENCE).build().toJson();
        assertEquals(UpdatePlacement.REFERENCE, PruningConfig.fromJson(reference).updatePlacement());
        assertMessage(() -> PruningConfig.fromJson(c.toJson().replace("\"format\" : 2", "\"format\" : 3")),
                "format must be 1 to 2, got 3 (written by a newer rpg4j)");
    }

    @Test
    void fractionsAndAlphaAreValidated() {
        assertMessage(() -> valid().rampEndFraction(0).build(), "rampEndFraction", "0.0");
        assertMessage(() -> valid().updateEndFraction(1.2).build(), "updateEndFraction", "1.2");
        assertMessage(() -> valid().rampEndFraction(0.9).updateEndFraction(0.8).build(), "updateEndFraction", "0.8");
        assertMessage(() -> valid().alpha(1.5).build(), "alpha", "1.5");
        assertMessage(() -> RankLoss.lambda(1).rankEvery(0), "rankEvery", "0");
    }

    @Test
    void nullSettingsAreRejectedByName() {
        assertMessage(() -> valid().schedule(null).build(), "schedule", "null");
        assertMessage(() -> valid().rankLoss(null).build(), "rankLoss", "null");
    }

    @Test
    void malformedJsonIsRejectedClearly() {
        assertMessage(() -> PruningConfig.fromJson("[1,2]"), "json", "object");
        assertMessage(() -> PruningConfig.fromJson("{\"format\":1}"), "rankLoss", "missing");
        String json = valid().build().toJson().replace("\"EXPONENTIAL\"", "\"SQUARE\"");
        assertMessage(() -> PruningConfig.fromJson(json), "schedule", "SQUARE");
    }

    @Test
    void layerSelectionIncludesExcludesAndCaps() {
        LayerSelection s = LayerSelection.all().includeTypes("ConvolutionLayer").includeNames("fc")
                .excludeMatching("stem.*").maxSparsity("fc", 0.5);
        assertTrue(s.selects("block1", "ConvolutionLayer"));
        assertTrue(s.selects("fc", "DenseLayer"));
        assertFalse(s.selects("stem_conv", "ConvolutionLayer"));
        assertFalse(s.selects("other", "DenseLayer"));
        assertEquals(0.5, s.maxSparsity("fc"));
        assertEquals(1.0, s.maxSparsity("block1"));
        assertTrue(LayerSelection.all().selects("anything", "Anything"));
        assertMessage(() -> LayerSelection.all().includeMatching("("), "pattern", "(");
        assertMessage(() -> LayerSelection.all().maxSparsity("fc", 1.5), "maxSparsity", "1.5");
    }

    static void assertExact(Supplier<?> call, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::get);
        assertEquals(message, e.getMessage());
    }

    static void assertMessage(Supplier<?> call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::get);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' should contain '" + f + "'");
        }
    }
}
