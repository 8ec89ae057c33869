package org.rpg4j.rank;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The rank loss with LAPACK {@code dsyevd} (divide and conquer, the default) against the rank loss
 * with {@code dsyev} (QR iteration, what rpg-core used before): the same {@code k}, the same loss to
 * {@link #SAME}, and for spectra without a repeated eigenvalue at the cut the same gradient to
 * {@link #SAME}. Shapes cover the conv matrices of the benchmarked models (wide and tall, 1x1 and
 * 3x3, up to 256 x 2304 and 1024 x 256), sparse weights, rank deficiency and a degenerate cluster
 * of singular values across the cut.
 */
class GramEigenSolverTest {

    /** The agreement the switch of solver must keep: k equal, loss (and gradient) within 1e-10. */
    private static final double SAME = 1e-10;

    static Stream<Arguments> generic() {
        return Stream.of(
                Arguments.of("stem 16x3x3x3", 31L, new long[] {16, 3, 3, 3}, 0.0, 0.1),
                Arguments.of("16x16x3x3", 32L, new long[] {16, 16, 3, 3}, 0.0, 0.1),
                Arguments.of("shortcut 32x16x1x1 tall", 33L, new long[] {32, 16, 1, 1}, 0.5, 0.1),
                Arguments.of("64x64x3x3 sparse 90%", 34L, new long[] {64, 64, 3, 3}, 0.9, 0.1),
                Arguments.of("64x3x7x7 ResNet-50 stem", 35L, new long[] {64, 3, 7, 7}, 0.0, 0.2),
                Arguments.of("128x128x3x3 partialK 0.2", 36L, new long[] {128, 128, 3, 3}, 0.8, 0.2),
                Arguments.of("256x64x1x1 tall", 37L, new long[] {256, 64, 1, 1}, 0.5, 0.1),
                Arguments.of("256x256x3x3 sparse 98%", 38L, new long[] {256, 256, 3, 3}, 0.98, 0.1),
                Arguments.of("1024x256x1x1 tall", 39L, new long[] {1024, 256, 1, 1}, 0.8, 0.1),
                Arguments.of("64x576 partialK 0.5", 40L, new long[] {64, 576}, 0.0, 0.5),
                Arguments.of("64x576 partialK 0", 41L, new long[] {64, 576}, 0.0, 0.0),
                Arguments.of("64x576 partialK 1", 42L, new long[] {64, 576}, 0.0, 1.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("generic")
    void divideAndConquerGivesTheKLossAndGradientOfQrIteration(
                                                               String name, long seed, long[] shape, double sparsity,
                                                               double partialK) {
        INDArray weights = ReferenceSvd.randomWeights(seed, 0.05, sparsity, shape).castTo(DataType.FLOAT);
        RankLossResult qr = AdversarialRankLoss.compute(weights, partialK, GramEigen.Solver.QR_ITERATION);
        RankLossResult dc = AdversarialRankLoss.compute(weights, partialK, GramEigen.Solver.DIVIDE_AND_CONQUER);
        assertEquals(qr.k(), dc.k(), name + ": k");
        assertEquals(qr.loss(), dc.loss(), SAME, name + ": loss");
        // compare the gradients in double: the float results are roundings of the same double values
        INDArray weightsDouble = weights.castTo(DataType.DOUBLE);
        double[] a = flat(AdversarialRankLoss.compute(weightsDouble, partialK, GramEigen.Solver.QR_ITERATION));
        double[] b = flat(AdversarialRankLoss.compute(weightsDouble, partialK, GramEigen.Solver.DIVIDE_AND_CONQUER));
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], SAME, name + ": gradient entry " + i);
        }
    }

    /**
     * Singular values 3, 2, 1, 1, 1, 1, 0.5 (and zeros): the eigenvectors of the repeated value are
     * any basis of its eigenspace, which the solvers choose differently, but the discarded energy, and
     * so {@code k} and the loss, does not depend on that choice.
     */
    @ParameterizedTest(name = "partialK {0}")
    @MethodSource("partialKs")
    void degenerateClusterAcrossTheCutGivesTheSameKAndLoss(double partialK) {
        for (int[] shape : new int[][] {{12, 20}, {20, 12}}) {
            INDArray weights = ReferenceSvd.withSingularValues(43L, shape[0], shape[1], 3, 2, 1, 1, 1, 1, 0.5);
            RankLossResult qr = AdversarialRankLoss.compute(weights, partialK, GramEigen.Solver.QR_ITERATION);
            RankLossResult dc = AdversarialRankLoss.compute(weights, partialK, GramEigen.Solver.DIVIDE_AND_CONQUER);
            assertEquals(qr.k(), dc.k(), "k");
            assertEquals(qr.loss(), dc.loss(), SAME, "loss");
        }
    }

    static Stream<Double> partialKs() {
        return Stream.of(0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0);
    }

    private static double[] flat(RankLossResult result) {
        INDArray g = result.gradient();
        return g.dup('c').reshape('c', new long[] {g.length()}).toDoubleVector();
    }
}
