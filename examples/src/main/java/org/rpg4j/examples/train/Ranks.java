package org.rpg4j.examples.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.rank.RankMetrics;

/** Rank measurements of weights seen as {@code [out, rest]} matrices, by rpg4j's {@link RankMetrics}. */
final class Ranks {
    private Ranks() {}

    /** @return the delta-rank of the normalised matrix, 0 for an all-zero weight */
    static int deltaRank(INDArray outputFirst, double delta) {
        return RankMetrics.deltaRank(outputFirst, delta);
    }

    /** @return the singular values, descending */
    static double[] singularValues(INDArray outputFirst) {
        return RankMetrics.singularValues(outputFirst);
    }
}
