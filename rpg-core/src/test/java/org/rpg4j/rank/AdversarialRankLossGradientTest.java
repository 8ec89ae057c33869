package org.rpg4j.rank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The value, k and gradient of {@link AdversarialRankLoss#compute} against references built from
 * an independent full SVD (LAPACK {@code dgesvd} with U and V^T), and the gradient against
 * central finite differences of that reference loss with {@code k} held fixed, as in the
 * reference, where no gradient flows through the SVD.
 *
 * <p>The shapes and partialK values cover both Gram sides (wide: {@code U}, tall: {@code V}) and
 * both projection forms (tail block narrower, or top block narrower).
 */
class AdversarialRankLossGradientTest {

    /** Agreement with the dgesvd-based loss and gradient, all in double precision. */
    private static final double SVD_TOLERANCE = 1e-10;

    /** Central-difference step on weights of order 0.1. */
    private static final double STEP = 1e-6;

    /**
     * Finite differences: truncation O(STEP^2) and rounding about 1e-16 / STEP = 1e-10 on a loss
     * of order 0.1; gradients here are of order 0.01 to 1.
     */
    private static final double FINITE_DIFFERENCE_TOLERANCE = 1e-7;

    /** Entries probed per shape: all of a small tensor, a seeded sample of a large one. */
    private static final int PROBES = 48;

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of("wide 8x12", 11L, new long[] {8, 12}, 0.0, 0.1),
                Arguments.of("wide 8x12 large partialK", 12L, new long[] {8, 12}, 0.0, 0.6),
                Arguments.of("tall 12x8", 13L, new long[] {12, 8}, 0.0, 0.1),
                Arguments.of("tall 30x5 large partialK", 14L, new long[] {30, 5}, 0.0, 0.5),
                Arguments.of("square 7x7", 15L, new long[] {7, 7}, 0.0, 0.2),
                Arguments.of("conv 6x4x3x3", 16L, new long[] {6, 4, 3, 3}, 0.0, 0.1),
                Arguments.of("conv 16x8x3x3 sparse 90%", 17L, new long[] {16, 8, 3, 3}, 0.9, 0.1),
                Arguments.of("conv 24x2x1x1 tall sparse 50%", 18L, new long[] {24, 2, 1, 1}, 0.5, 0.3),
                Arguments.of("conv 32x16x3x3 sparse 98%", 19L, new long[] {32, 16, 3, 3}, 0.98, 0.2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void lossKAndGradientMatchAFullSvd(
                                       String name, long seed, long[] shape, double sparsity, double partialK) {
        INDArray weights = ReferenceSvd.randomWeights(seed, 0.1, sparsity, shape);
        RankLossResult result = AdversarialRankLoss.compute(weights, partialK);

        INDArray matrix = ReferenceSvd.matrixOf(weights);
        double[] sigma = ReferenceSvd.svd(matrix.div(matrix.norm2Number())).sigma();
        assertEquals(ReferenceSvd.referenceK(sigma, partialK), result.k(), "k");
        assertEquals(ReferenceSvd.lossAtK(weights, result.k()), result.loss(), SVD_TOLERANCE, "loss");
        double[] expected = flat(ReferenceSvd.gradientAtK(weights, result.k()));
        double[] actual = flat(result.gradient());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], SVD_TOLERANCE, "gradient entry " + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void gradientMatchesCentralDifferencesAtFixedK(
                                                   String name, long seed, long[] shape, double sparsity,
                                                   double partialK) {
        INDArray weights = ReferenceSvd.randomWeights(seed + 100, 0.1, sparsity, shape);
        RankLossResult result = AdversarialRankLoss.compute(weights, partialK);
        double[] gradient = flat(result.gradient());
        double[] values = flat(weights);

        for (int index : probes(values.length, seed)) {
            double plus = lossWithEntry(values, shape, index, values[index] + STEP, result.k());
            double minus = lossWithEntry(values, shape, index, values[index] - STEP, result.k());
            double centralDifference = (plus - minus) / (2.0 * STEP);
            assertEquals(
                    centralDifference,
                    gradient[index],
                    FINITE_DIFFERENCE_TOLERANCE,
                    name + ": entry " + index + " (weight " + values[index] + ")");
        }
    }

    /** The gradient is orthogonal to W: the loss is scale invariant, so d/dt loss(tW) = 0. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void gradientIsOrthogonalToTheWeights(
                                          String name, long seed, long[] shape, double sparsity, double partialK) {
        INDArray weights = ReferenceSvd.randomWeights(seed + 200, 0.1, sparsity, shape);
        double[] gradient = flat(AdversarialRankLoss.compute(weights, partialK).gradient());
        double[] values = flat(weights);
        double dot = 0.0;
        double gradientNorm = 0.0;
        double weightNorm = 0.0;
        for (int i = 0; i < values.length; i++) {
            dot += gradient[i] * values[i];
            gradientNorm += gradient[i] * gradient[i];
            weightNorm += values[i] * values[i];
        }
        assertTrue(gradientNorm > 0.0, "a non-trivial gradient");
        assertEquals(0.0, dot / Math.sqrt(gradientNorm * weightNorm), 1e-12, "cosine(gradient, W)");
    }

    private static double lossWithEntry(
                                        double[] values, long[] shape, int index, double value, int k) {
        double[] perturbed = values.clone();
        perturbed[index] = value;
        return ReferenceSvd.lossAtK(Nd4j.create(perturbed, shape, 'c'), k);
    }

    private static int[] probes(int length, long seed) {
        if (length <= PROBES) {
            return IntStream.range(0, length).toArray();
        }
        Random random = new Random(seed);
        return random.ints(0, length).distinct().limit(PROBES).sorted().toArray();
    }

    private static double[] flat(INDArray array) {
        return array.dup('c').reshape('c', new long[] {array.length()}).toDoubleVector();
    }

}
