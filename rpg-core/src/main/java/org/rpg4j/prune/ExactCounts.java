package org.rpg4j.prune;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.CountNonZero;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Exact zero counts. ND4J's {@code scan(Conditions.equals(0.0))} compares with a tolerance of
 * 1e-5, so it would count small live weights as pruned; {@link CountNonZero} is exact.
 */
final class ExactCounts {
    private ExactCounts() {}

    /** @return the number of entries of {@code array} that are exactly 0.0 */
    static long zeros(INDArray array) {
        return array.length() - Nd4j.getExecutioner().exec(new CountNonZero(array)).getLong(0);
    }
}
