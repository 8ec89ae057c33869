package org.rpg4j.rank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rpg4j.rank.AdversarialRankLossTest.assertMessage;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@link RankMetrics} on matrices of known spectrum and known rank. */
class RankMetricsTest {

    /** Singular values of order 1 built from exact orthogonal factors, in double precision. */
    private static final double SPECTRUM_TOLERANCE = 1e-12;

    /** Relative agreement of two LAPACK routes (or float input) with the exact spectrum. */
    private static final double RELATIVE_TOLERANCE = 1e-10;

    /**
     * A 7 x 12 matrix with singular values 4, 3, 2, 1 (then 0). Energies 16, 9, 4, 1 of 30: the
     * relative tails sqrt(tail / 30) after keeping k = 0..4 are 1, 0.683, 0.408, 0.183, 0.
     */
    private static INDArray knownSpectrum() {
        return ReferenceSvd.withSingularValues(31, 7, 12, 4, 3, 2, 1);
    }

    @Test
    void singularValuesOfAKnownSpectrum() {
        assertArrayEquals(
                new double[] {4, 3, 2, 1, 0, 0, 0},
                RankMetrics.singularValues(knownSpectrum()),
                SPECTRUM_TOLERANCE);
    }

    @Test
    void singularValuesOfATallMatrixHaveLengthOfTheShortSide() {
        INDArray tall = ReferenceSvd.withSingularValues(32, 12, 5, 2.5, 0.5);
        assertArrayEquals(
                new double[] {2.5, 0.5, 0, 0, 0}, RankMetrics.singularValues(tall), SPECTRUM_TOLERANCE);
    }

    @Test
    void convolutionKernelIsSeenAsOutByInTimesKernel() {
        // [8, 18] with a known spectrum, reshaped to [8, 2, 3, 3]: the same matrix.
        INDArray matrix = ReferenceSvd.withSingularValues(33, 8, 18, 5, 4, 3, 2, 1, 0.5);
        double[] sigma = RankMetrics.singularValues(matrix.reshape(8, 2, 3, 3));
        assertArrayEquals(new double[] {5, 4, 3, 2, 1, 0.5, 0, 0}, sigma, SPECTRUM_TOLERANCE);
    }

    @Test
    void singularValuesAgreeWithFullGesvdAndWithTheGramRoute() {
        INDArray weights = ReferenceSvd.randomWeights(34, 0.1, 0.9, 24, 8, 3, 3);
        double[] sigma = RankMetrics.singularValues(weights);

        double[] fullSvd = ReferenceSvd.svd(ReferenceSvd.matrixOf(weights)).sigma();
        INDArray matrix = ReferenceSvd.matrixOf(weights);
        double norm = matrix.norm2Number().doubleValue();
        double[] gramEnergies = GramEigen.of(matrix.div(norm)).eigenvalues();
        for (int i = 0; i < sigma.length; i++) {
            assertEquals(fullSvd[i], sigma[i], RELATIVE_TOLERANCE * sigma[0], "gesvd, value " + i);
            double fromGram = norm * Math.sqrt(gramEnergies[sigma.length - 1 - i]);
            // The Gram route squares: accurate to about 1e-8 sigma_1 on the smallest values.
            assertEquals(fromGram, sigma[i], 1e-7 * sigma[0], "Gram route, value " + i);
        }
    }

    @Test
    void floatInputGivesTheSpectrumToFloatPrecision() {
        double[] sigma = RankMetrics.singularValues(knownSpectrum().castTo(DataType.FLOAT));
        double[] exact = {4, 3, 2, 1, 0, 0, 0};
        for (int i = 0; i < exact.length; i++) {
            // float rounding of entries of order 1: relative 6e-8, times sqrt(84) entries at most
            assertEquals(exact[i], sigma[i], 1e-6, "value " + i);
        }
    }

    @ParameterizedTest(name = "delta {0} -> {1}")
    @CsvSource({"1e-6, 4", "0.1, 4", "0.2, 3", "0.5, 2", "0.7, 1", "1.0, 0", "2.0, 0"})
    void deltaRankOfAKnownSpectrum(double delta, int expected) {
        assertEquals(expected, RankMetrics.deltaRank(knownSpectrum(), delta));
    }

    @Test
    void deltaRankDependsOnlyOnTheNormalisedMatrix() {
        assertEquals(
                RankMetrics.deltaRank(knownSpectrum(), RankMetrics.DEFAULT_DELTA),
                RankMetrics.deltaRank(knownSpectrum().mul(1e-3), RankMetrics.DEFAULT_DELTA));
    }

    @ParameterizedTest(name = "relativeTolerance {0} -> {1}")
    @CsvSource({"1e-10, 4", "0.4, 3", "0.6, 2", "0.9, 1", "1.0, 0"})
    void numericalRankOfAKnownSpectrum(double relativeTolerance, int expected) {
        assertEquals(expected, RankMetrics.numericalRank(knownSpectrum(), relativeTolerance));
    }

    @ParameterizedTest(name = "rank {0}")
    @ValueSource(ints = {1, 3, 5, 10})
    void sumOfOuterProductsHasItsNumberOfTerms(int terms) {
        INDArray matrix = sumOfOuterProducts(35 + terms, 10, 20, terms);
        assertEquals(terms, RankMetrics.numericalRank(matrix, 1e-10));
        assertEquals(terms, RankMetrics.deltaRank(matrix, 1e-6));
    }

    /**
     * The delta-rank (Gram energies) against the same rule applied by hand to the {@code dgesvd}
     * singular values, on pruned random tensors wide, tall and square, at several deltas.
     */
    @ParameterizedTest(name = "shape {0}x{1}x3x3, sparsity {2}")
    @CsvSource({"16, 16, 0.0", "64, 3, 0.5", "32, 64, 0.9", "8, 1, 0.3", "128, 64, 0.98"})
    void deltaRankAgreesWithTheFullSvd(int out, int in, double sparsity) {
        Random random = new Random(out * 31L + in);
        INDArray weights = Nd4j.create(DataType.FLOAT, out, in, 3, 3);
        for (long i = 0; i < weights.length(); i++) {
            weights.putScalar(i, random.nextDouble() < sparsity ? 0.0 : random.nextGaussian());
        }
        double[] sigma = RankMetrics.singularValues(weights);
        double total = 0;
        for (double s : sigma) {
            total += s * s;
        }
        for (double delta : new double[] {0.05, 0.1, 0.3, 0.7}) {
            int expected = 0;
            double dropped = total;
            while (expected < sigma.length && dropped > delta * delta * total) {
                dropped -= sigma[expected] * sigma[expected];
                expected++;
            }
            assertEquals(expected, RankMetrics.deltaRank(weights, delta), "delta " + delta);
        }
    }

    @Test
    void zeroWeightsHaveRankZero() {
        INDArray zeros = Nd4j.zeros(DataType.FLOAT, 4, 3, 3, 3);
        assertArrayEquals(new double[4], RankMetrics.singularValues(zeros), 0.0);
        assertEquals(0, RankMetrics.deltaRank(zeros, RankMetrics.DEFAULT_DELTA));
        assertEquals(0, RankMetrics.numericalRank(zeros, 1e-6));
    }

    @Test
    void viewWithOffsetIsNotModified() {
        INDArray backing = ReferenceSvd.randomWeights(36, 0.1, 0.0, 500);
        double[] before = backing.toDoubleVector();
        INDArray view = backing.get(NDArrayIndex.interval(50, 50 + 8 * 27)).reshape(8, 3, 3, 3);
        double[] expected = RankMetrics.singularValues(view.dup('c'));

        assertArrayEquals(expected, RankMetrics.singularValues(view), SPECTRUM_TOLERANCE);
        RankMetrics.deltaRank(view, 0.1);
        RankMetrics.numericalRank(view, 1e-6);
        assertArrayEquals(before, backing.toDoubleVector(), 0.0);
    }

    @Test
    void metricsWorkInsideTheCallersWorkspace() {
        double[] expected = RankMetrics.singularValues(knownSpectrum());
        try (MemoryWorkspace workspace = Nd4j.getWorkspaceManager().getAndActivateWorkspace(
                "RPG4J_RANK_METRICS_TEST")) {
            INDArray weights = knownSpectrum().migrate();
            assertTrue(weights.isAttached(), "weights live in workspace " + workspace.getId());
            assertArrayEquals(expected, RankMetrics.singularValues(weights), SPECTRUM_TOLERANCE);
            assertEquals(4, RankMetrics.deltaRank(weights, 0.1));
            assertEquals(4, RankMetrics.numericalRank(weights, 1e-10));
        }
    }

    // ---- bad input: one test per rule ----

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -0.1, Double.NaN, Double.POSITIVE_INFINITY})
    void deltaRankRejectsADeltaThatIsNotFiniteAndPositive(double delta) {
        assertMessage(
                "delta must be finite and > 0, got " + delta,
                () -> RankMetrics.deltaRank(knownSpectrum(), delta));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1e-12, Double.NaN, Double.POSITIVE_INFINITY})
    void numericalRankRejectsABadTolerance(double relativeTolerance) {
        assertMessage(
                "relativeTolerance must be finite and >= 0, got " + relativeTolerance,
                () -> RankMetrics.numericalRank(knownSpectrum(), relativeTolerance));
    }

    @Test
    void metricsRejectNullWeights() {
        assertMessage("weights must not be null", () -> RankMetrics.singularValues(null));
        assertMessage("weights must not be null", () -> RankMetrics.deltaRank(null, 0.1));
        assertMessage("weights must not be null", () -> RankMetrics.numericalRank(null, 1e-6));
    }

    @Test
    void metricsRejectWeightsOfRankBelowTwo() {
        INDArray vector = Nd4j.ones(6);
        assertMessage("rank >= 2", () -> RankMetrics.singularValues(vector));
        assertMessage("rank >= 2", () -> RankMetrics.deltaRank(vector, 0.1));
        assertMessage("rank >= 2", () -> RankMetrics.numericalRank(vector, 1e-6));
    }

    @Test
    void metricsRejectNonFiniteWeights() {
        INDArray weights = knownSpectrum();
        weights.putScalar(3, Double.NaN);
        assertMessage("weights must be finite", () -> RankMetrics.singularValues(weights));
        assertMessage("weights must be finite", () -> RankMetrics.deltaRank(weights, 0.1));
        assertMessage("weights must be finite", () -> RankMetrics.numericalRank(weights, 1e-6));
    }

    /** Seeded sum of {@code terms} outer products of Gaussian vectors: rank {@code terms}. */
    private static INDArray sumOfOuterProducts(long seed, int rows, int cols, int terms) {
        Random random = new Random(seed);
        double[] values = new double[rows * cols];
        for (int t = 0; t < terms; t++) {
            double[] u = new double[rows];
            double[] v = new double[cols];
            for (int i = 0; i < rows; i++) {
                u[i] = random.nextGaussian();
            }
            for (int j = 0; j < cols; j++) {
                v[j] = random.nextGaussian();
            }
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    values[i * cols + j] += u[i] * v[j];
                }
            }
        }
        assertTrue(terms <= Math.min(rows, cols));
        return Nd4j.create(values, new long[] {rows, cols}, 'c');
    }
}
