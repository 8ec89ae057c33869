package org.rpg4j.rank;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rpg4j.rank.AdversarialRankLossTest.assertMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Self-validation of {@link RankLossResult} and {@link RankLossAggregate}. */
class RankLossRecordsTest {

    private static final INDArray GRADIENT = Nd4j.zeros(2, 3);

    @Test
    void resultIsActiveExactlyWhenItsLossIsNonZero() {
        assertTrue(new RankLossResult(-1e-300, 1, GRADIENT).active());
        assertTrue(new RankLossResult(-1.0, 0, GRADIENT).active());
        assertFalse(new RankLossResult(0.0, 0, GRADIENT).active());
        assertFalse(new RankLossResult(-0.0, 2, GRADIENT).active());
    }

    @ParameterizedTest
    @ValueSource(doubles = {1e-12, Double.NaN, Double.NEGATIVE_INFINITY})
    void resultRejectsALossThatIsNotFiniteAndNonPositive(double loss) {
        assertMessage(
                "loss must be finite and <= 0, got " + loss, () -> new RankLossResult(loss, 1, GRADIENT));
    }

    @Test
    void resultRejectsANegativeK() {
        assertMessage("k must be >= 0, got -1", () -> new RankLossResult(-0.1, -1, GRADIENT));
    }

    @Test
    void resultRejectsANullGradient() {
        assertMessage("gradient must not be null", () -> new RankLossResult(-0.1, 1, null));
    }

    @Test
    void aggregateRecordRejectsANegativeCount() {
        assertMessage("activeLayers must be >= 0, got -1", () -> new RankLossAggregate(0.0, -1, 0.0));
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY})
    void aggregateRecordRejectsNonFiniteValues(double bad) {
        assertMessage("meanLoss must be finite", () -> new RankLossAggregate(bad, 1, 0.5));
        assertMessage("gradientCoefficient must be finite", () -> new RankLossAggregate(-0.1, 1, bad));
    }

    @Test
    void aggregateRecordRejectsValuesWithoutActiveLayers() {
        assertMessage("with no active layer", () -> new RankLossAggregate(-0.1, 0, 0.0));
        assertMessage("with no active layer", () -> new RankLossAggregate(0.0, 0, 0.5));
    }
}
