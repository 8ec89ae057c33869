package org.rpg4j.rank;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.tensor.HostAccess;
import org.rpg4j.tensor.Routes;

/**
 * The rank loss picks {@code dsyevd} through OpenBLAS on the CPU backend and ND4J's generic
 * {@code dsyev} when the host route is closed, and both give the same {@code k} and loss.
 */
class DefaultSolverTest {
    private static final double SAME = 1e-10;

    @Test
    void theDefaultSolverFollowsTheProbeAndBothGiveTheSameKAndLoss() {
        assertEquals(
                GramEigen.Solver.DIVIDE_AND_CONQUER,
                Routes.on(HostAccess.Mode.AUTO, GramEigen::defaultSolver));
        assertEquals(
                GramEigen.Solver.QR_ITERATION,
                Routes.on(HostAccess.Mode.GENERIC, GramEigen::defaultSolver));
        INDArray weights = ReferenceSvd.randomWeights(51L, 0.05, 0.9, new long[] {64, 32, 3, 3}).castTo(DataType.FLOAT);
        RankLossResult fast = Routes.on(HostAccess.Mode.AUTO, () -> AdversarialRankLoss.compute(weights, 0.1));
        RankLossResult generic = Routes.on(HostAccess.Mode.GENERIC, () -> AdversarialRankLoss.compute(weights, 0.1));
        assertEquals(fast.k(), generic.k());
        assertEquals(fast.loss(), generic.loss(), SAME);
        assertEquals(
                Routes.on(HostAccess.Mode.AUTO, () -> RankMetrics.deltaRank(weights, 0.1)),
                Routes.on(HostAccess.Mode.GENERIC, () -> RankMetrics.deltaRank(weights, 0.1)));
    }
}
