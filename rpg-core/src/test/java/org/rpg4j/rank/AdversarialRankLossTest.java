package org.rpg4j.rank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Hand-computed cases, properties and input validation of {@link AdversarialRankLoss}. */
class AdversarialRankLossTest {

    /** Hand-computed values are exact decimals; only rounding separates them from the result. */
    private static final double EXACT = 1e-14;

    /** Results of the same computation on differently laid out or scaled copies. */
    private static final double SAME = 1e-12;

    @Test
    void diagonalTwoByThreeByHand() {
        // M = [[3, 0, 0], [0, 4, 0]], s = ||M||_F = 5, Mhat = [[0.6, 0, 0], [0, 0.8, 0]].
        // Singular values of Mhat 0.8, 0.6; energies ascending e = [0.36, 0.64], cumulative
        // c = [0.36, 1.0]. partialK 0.1: |0.36 - 0.1| = 0.26 < |1.0 - 0.1| = 0.9, so j = 0 and
        // k = 2 - 0 - 1 = 1: keep 0.8 e2 e2^T, R = [[0.6, 0, 0], [0, 0, 0]], loss = -0.36.
        // Gradient (2 / s)(-R + 0.36 Mhat) = 0.4 * [[-0.6 + 0.216, 0, 0], [0, 0.288, 0]]
        //                                = [[-0.1536, 0, 0], [0, 0.1152, 0]].
        INDArray weights = Nd4j.create(new double[][] {{3, 0, 0}, {0, 4, 0}});
        RankLossResult result = AdversarialRankLoss.compute(weights, 0.1);

        assertEquals(1, result.k());
        assertEquals(-0.36, result.loss(), EXACT);
        assertTrue(result.active());
        assertArrayEquals(
                new double[] {-0.1536, 0, 0, 0, 0.1152, 0}, flat(result.gradient()), EXACT);
    }

    @Test
    void diagonalTwoByThreeDiscardingEverythingByHand() {
        // Same M. partialK 0.9: |0.36 - 0.9| = 0.54 > |1.0 - 0.9| = 0.1, so j = 1 and k = 0:
        // R = Mhat, loss = -||Mhat||^2 = -1, gradient (2 / 5)(-Mhat + 1 * Mhat) = 0.
        INDArray weights = Nd4j.create(new double[][] {{3, 0, 0}, {0, 4, 0}});
        RankLossResult result = AdversarialRankLoss.compute(weights, 0.9);

        assertEquals(0, result.k());
        assertEquals(-1.0, result.loss(), EXACT);
        assertArrayEquals(new double[6], flat(result.gradient()), EXACT);
    }

    @Test
    void truncationRankTakesTheFirstMinimiserOnATie() {
        // e = [0.25, 0.75], partialK 0.625: c = [0.25, 1.0], distances 0.375 and 0.375 (exact in
        // binary). The first minimiser j = 0 gives k = 2 - 0 - 1 = 1; the last would give 0.
        assertEquals(1, AdversarialRankLoss.truncationRank(new double[] {0.25, 0.75}, 0.625));
        // e = [0.125, 0.125, 0.25, 0.5], partialK 0.25: c = [0.125, 0.25, 0.5, 1.0], j = 1, k = 2.
        double[] energies = {0.125, 0.125, 0.25, 0.5};
        assertEquals(2, AdversarialRankLoss.truncationRank(energies, 0.25));
        // partialK 0 still discards one value: j = 0, k = n - 1.
        assertEquals(3, AdversarialRankLoss.truncationRank(energies, 0.0));
    }

    @Test
    void lossIsTheTailEnergyClosestToPartialK() {
        INDArray weights = ReferenceSvd.randomWeights(21, 0.05, 0.0, 64, 64, 3, 3);
        for (double partialK : new double[] {0.05, 0.1, 0.2, 0.5}) {
            RankLossResult result = AdversarialRankLoss.compute(weights, partialK);
            INDArray matrix = ReferenceSvd.matrixOf(weights);
            double[] sigma = ReferenceSvd.svd(matrix.div(matrix.norm2Number())).sigma();
            // partialK lies between two tail sums that differ by one energy, sigma_{k-1}^2 at most
            // (0-based; sigma_k is the largest discarded value): the closer is within half of it.
            double nextEnergy = sigma[result.k() - 1] * sigma[result.k() - 1];
            assertEquals(-partialK, result.loss(), nextEnergy / 2 + SAME);
            // And no other tail sum (discarding 1 to n values) is closer.
            double tail = 0.0;
            for (int i = sigma.length - 1; i >= 0; i--) {
                tail += sigma[i] * sigma[i];
                assertTrue(Math.abs(-result.loss() - partialK) <= Math.abs(tail - partialK) + SAME);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = DataType.class,
            names = {"DOUBLE", "FLOAT", "HALF"})
    void gradientHasTheShapeAndTypeOfTheWeights(DataType type) {
        INDArray weights = ReferenceSvd.randomWeights(22, 0.1, 0.0, 8, 3, 3, 3).castTo(type);
        INDArray gradient = AdversarialRankLoss.compute(weights, 0.1).gradient();

        assertArrayEquals(new long[] {8, 3, 3, 3}, gradient.shape());
        assertEquals(type, gradient.dataType());
        assertEquals('c', gradient.ordering());
    }

    @Test
    void viewWithOffsetIsNotModifiedAndGivesTheResultOfItsCopy() {
        INDArray backing = ReferenceSvd.randomWeights(23, 0.1, 0.0, 1000);
        double[] before = backing.toDoubleVector();
        INDArray view = backing.get(NDArrayIndex.interval(100, 100 + 6 * 4 * 3 * 3)).reshape(6, 4, 3, 3);
        assertTrue(view.offset() > 0, "the view starts inside its buffer");

        RankLossResult fromView = AdversarialRankLoss.compute(view, 0.1);
        RankLossResult fromCopy = AdversarialRankLoss.compute(view.dup('c'), 0.1);

        assertArrayEquals(before, backing.toDoubleVector(), 0.0, "backing buffer unchanged");
        assertSameResult(fromCopy, fromView);
    }

    @Test
    void permutedViewGivesTheResultOfItsCopy() {
        // [kh, kw, in, out] stored, seen as [out, in, kh, kw]: a non-contiguous view.
        INDArray stored = ReferenceSvd.randomWeights(24, 0.1, 0.0, 3, 3, 5, 7);
        INDArray permuted = stored.permute(3, 2, 0, 1);
        double[] before = flat(stored);

        RankLossResult fromView = AdversarialRankLoss.compute(permuted, 0.2);
        RankLossResult fromCopy = AdversarialRankLoss.compute(permuted.dup('c'), 0.2);

        assertArrayEquals(before, flat(stored), 0.0, "permuted input unchanged");
        assertSameResult(fromCopy, fromView);
    }

    @Test
    void columnMajorInputGivesTheResultOfItsRowMajorCopy() {
        // DL4J stores dense weights in 'f' order; the matrix view is by logical index.
        INDArray rowMajor = ReferenceSvd.randomWeights(25, 0.1, 0.0, 9, 20);
        assertSameResult(
                AdversarialRankLoss.compute(rowMajor, 0.1),
                AdversarialRankLoss.compute(rowMajor.dup('f'), 0.1));
    }

    @Test
    void lossIsScaleInvariantAndGradientScalesInversely() {
        INDArray weights = ReferenceSvd.randomWeights(26, 0.1, 0.5, 16, 8, 3, 3);
        RankLossResult base = AdversarialRankLoss.compute(weights, 0.1);
        RankLossResult tripled = AdversarialRankLoss.compute(weights.mul(3.0), 0.1);

        assertEquals(base.k(), tripled.k());
        assertEquals(base.loss(), tripled.loss(), SAME);
        assertArrayEquals(flat(base.gradient().div(3.0)), flat(tripled.gradient()), SAME);
    }

    @Test
    void gradientOutlivesTheCallersWorkspace() {
        INDArray outside = ReferenceSvd.randomWeights(30, 0.1, 0.0, 6, 9);
        INDArray expected = AdversarialRankLoss.compute(outside, 0.1).gradient();
        RankLossResult result;
        try (MemoryWorkspace workspace = Nd4j.getWorkspaceManager().getAndActivateWorkspace("RPG4J_RANK_TEST")) {
            INDArray weights = ReferenceSvd.randomWeights(30, 0.1, 0.0, 6, 9).migrate();
            assertTrue(weights.isAttached(), "weights live in workspace " + workspace.getId());
            result = AdversarialRankLoss.compute(weights, 0.1);
            assertFalse(result.gradient().isAttached(), "gradient is not in the workspace");
        }
        assertArrayEquals(flat(expected), flat(result.gradient()), SAME);
    }

    @Test
    void zeroWeightsAreInactive() {
        INDArray weights = Nd4j.zeros(DataType.FLOAT, 4, 2, 3, 3);
        RankLossResult result = AdversarialRankLoss.compute(weights, 0.1);

        assertEquals(0.0, result.loss());
        assertEquals(0, result.k());
        assertFalse(result.active());
        assertEquals(DataType.FLOAT, result.gradient().dataType());
        assertArrayEquals(new long[] {4, 2, 3, 3}, result.gradient().shape());
        assertEquals(0.0, result.gradient().amaxNumber().doubleValue());
    }

    @Test
    void extremeMagnitudesNeitherOverflowNorUnderflow() {
        INDArray weights = ReferenceSvd.randomWeights(27, 1.0, 0.0, 6, 10);
        RankLossResult unit = AdversarialRankLoss.compute(weights, 0.1);
        for (double scale : new double[] {1e-200, 1e200}) {
            RankLossResult scaled = AdversarialRankLoss.compute(weights.mul(scale), 0.1);
            assertEquals(unit.k(), scaled.k(), "k at scale " + scale);
            assertEquals(unit.loss(), scaled.loss(), SAME, "loss at scale " + scale);
        }
    }

    @Test
    void aggregateAveragesActiveLayersOnly() {
        INDArray g = Nd4j.zeros(2, 2);
        List<RankLossResult> layers = List.of(
                new RankLossResult(-0.1, 3, g),
                new RankLossResult(0.0, 0, g),
                new RankLossResult(-0.3, 5, g));
        RankLossAggregate aggregate = AdversarialRankLoss.aggregate(layers, 0.5);

        // (-0.1 + -0.3) / 2 = -0.2; coefficient 0.5 / 2 = 0.25.
        assertEquals(-0.2, aggregate.meanLoss(), EXACT);
        assertEquals(2, aggregate.activeLayers());
        assertEquals(0.25, aggregate.gradientCoefficient(), EXACT);
    }

    @Test
    void aggregateOfNoActiveLayerIsZero() {
        INDArray g = Nd4j.zeros(2, 2);
        RankLossAggregate none = AdversarialRankLoss.aggregate(List.of(new RankLossResult(0.0, 0, g)), 3.0);
        RankLossAggregate empty = AdversarialRankLoss.aggregate(List.of(), 3.0);

        assertEquals(new RankLossAggregate(0.0, 0, 0.0), none);
        assertEquals(new RankLossAggregate(0.0, 0, 0.0), empty);
    }

    @Test
    void resultHoldsTheGradientItWasGiven() {
        INDArray g = Nd4j.zeros(2, 2);
        assertSame(g, new RankLossResult(-0.1, 1, g).gradient());
    }

    // ---- bad input: one test per rule ----

    @Test
    void rejectsNullWeights() {
        assertMessage("weights must not be null", () -> AdversarialRankLoss.compute(null, 0.1));
    }

    @Test
    void rejectsWeightsOfRankBelowTwo() {
        assertMessage("rank >= 2", () -> AdversarialRankLoss.compute(Nd4j.ones(5), 0.1));
        assertMessage("rank 0", () -> AdversarialRankLoss.compute(Nd4j.scalar(1.0), 0.1));
    }

    @Test
    void rejectsEmptyWeights() {
        assertMessage(
                "must not be empty, got shape [3, 0]",
                () -> AdversarialRankLoss.compute(Nd4j.create(DataType.DOUBLE, 3, 0), 0.1));
    }

    @Test
    void rejectsIntegerWeights() {
        assertMessage(
                "floating-point data type, got INT",
                () -> AdversarialRankLoss.compute(Nd4j.ones(DataType.INT32, 3, 3), 0.1));
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void rejectsNonFiniteWeights(double bad) {
        for (int position : new int[] {0, 7, 11}) {
            INDArray weights = ReferenceSvd.randomWeights(28, 0.1, 0.0, 3, 4);
            weights.putScalar(position, bad);
            assertMessage("weights must be finite", () -> AdversarialRankLoss.compute(weights, 0.1));
        }
        INDArray zerosAndOne = Nd4j.zeros(3, 4);
        zerosAndOne.putScalar(5, bad);
        assertMessage("weights must be finite", () -> AdversarialRankLoss.compute(zerosAndOne, 0.1));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1e-9, 1.0000001, Double.NaN, Double.POSITIVE_INFINITY})
    void rejectsPartialKOutsideTheUnitInterval(double partialK) {
        assertMessage(
                "partialK must be in [0, 1], got " + partialK,
                () -> AdversarialRankLoss.compute(Nd4j.ones(3, 3), partialK));
    }

    @Test
    void acceptsPartialKAtTheEndsOfTheUnitInterval() {
        INDArray weights = ReferenceSvd.randomWeights(29, 0.1, 0.0, 4, 6);
        assertEquals(3, AdversarialRankLoss.compute(weights, 0.0).k());
        assertEquals(0, AdversarialRankLoss.compute(weights, 1.0).k());
    }

    @Test
    void aggregateRejectsANullList() {
        assertMessage("perLayer must not be null", () -> AdversarialRankLoss.aggregate(null, 0.5));
    }

    @Test
    void aggregateRejectsANullLayer() {
        List<RankLossResult> layers = new java.util.ArrayList<>();
        layers.add(new RankLossResult(-0.1, 1, Nd4j.zeros(2, 2)));
        layers.add(null);
        assertMessage("null at index 1", () -> AdversarialRankLoss.aggregate(layers, 0.5));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.5, Double.NaN, Double.POSITIVE_INFINITY})
    void aggregateRejectsABadLambda(double lambda) {
        assertMessage(
                "lambda must be finite and >= 0, got " + lambda,
                () -> AdversarialRankLoss.aggregate(List.of(), lambda));
    }

    private static void assertSameResult(RankLossResult expected, RankLossResult actual) {
        assertEquals(expected.k(), actual.k(), "k");
        assertEquals(expected.loss(), actual.loss(), SAME, "loss");
        assertArrayEquals(expected.gradient().shape(), actual.gradient().shape(), "shape");
        assertArrayEquals(flat(expected.gradient()), flat(actual.gradient()), SAME, "gradient");
    }

    static void assertMessage(String expectedPart, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(
                e.getMessage().contains(expectedPart),
                "message '" + e.getMessage() + "' should contain '" + expectedPart + "'");
    }

    private static double[] flat(INDArray array) {
        return array.castTo(DataType.DOUBLE).dup('c').reshape('c', new long[] {array.length()})
                .toDoubleVector();
    }
}
