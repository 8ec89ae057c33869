package org.rpg4j.examples.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Rank measurements of weights seen as {@code [out, rest]} matrices. */
final class Ranks {
    private Ranks() {}

    static int deltaRank(INDArray outputFirst, double delta) {
        return -1;
    }

    static double[] singularValues(INDArray outputFirst) {
        return new double[0];
    }
}
