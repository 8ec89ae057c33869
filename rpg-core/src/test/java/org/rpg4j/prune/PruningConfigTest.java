package org.rpg4j.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.rpg4j.mask.LayerBudget;
import org.rpg4j.regrow.RegrowthKind;
import org.rpg4j.schedule.ScheduleKind;

class PruningConfigTest {

    private static PruningConfig.Builder valid() {
        return PruningConfig.builder(0.9).totalIterations(1000);
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
        PruningConfig c = PruningConfig.builder(0.98).totalIterations(12345).deltaT(50).rampEndFraction(0.8)
                .updateEndFraction(0.85).schedule(ScheduleKind.CUBIC).budget(LayerBudget.ERK)
                .regrowth(RegrowthKind.RANDOM).alpha(0.2)
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
        assertMessage(() -> PruningConfig.builder(1.0).totalIterations(1000).build(), "targetSparsity", "1.0");
        assertMessage(() -> PruningConfig.builder(-0.1).totalIterations(1000).build(), "targetSparsity", "-0.1");
        assertMessage(() -> PruningConfig.builder(Double.NaN).totalIterations(1000).build(), "targetSparsity",
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
        assertMessage(() -> PruningConfig.builder(0.5).totalIterations(99).build(), "totalIterations", "99");
    }

    @Test
    void missingTotalIterationsIsAWrongCallOrder() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PruningConfig.builder(0.5).build());
        assertTrue(e.getMessage().contains("totalIterations"), e.getMessage());
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

    static void assertMessage(Supplier<?> call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::get);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' should contain '" + f + "'");
        }
    }
}
