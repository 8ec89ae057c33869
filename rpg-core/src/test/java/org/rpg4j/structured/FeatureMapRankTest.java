package org.rpg4j.structured;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class FeatureMapRankTest {
    private static final Random RANDOM = new Random(18);

    /** A sum of {@code rank} outer products of random vectors: rank exactly {@code rank} (almost surely). */
    private static INDArray mapOfRank(int h, int w, int rank) {
        INDArray map = Nd4j.zeros(DataType.FLOAT, h, w);
        for (int r = 0; r < rank; r++) {
            INDArray u = Nd4j.create(randomVector(h), new long[] {h, 1}, DataType.FLOAT);
            INDArray v = Nd4j.create(randomVector(w), new long[] {1, w}, DataType.FLOAT);
            map.addi(u.mmul(v));
        }
        return map;
    }

    private static float[] randomVector(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) RANDOM.nextGaussian();
        }
        return v;
    }

    @Test
    void handBuiltMapsHaveTheirRank() {
        double tol = FeatureMapRank.relativeTolerance(6, 5, DataType.FLOAT);
        assertEquals(0, FeatureMapRank.rank(Nd4j.zeros(DataType.FLOAT, 6, 5), tol));
        // [[1, 2], [2, 4]] = [1, 2]^T [1, 2]: rank 1, although no entry is zero
        assertEquals(1, FeatureMapRank.rank(Nd4j.createFromArray(new float[][] {{1, 2}, {2, 4}}), tol));
        assertEquals(1, FeatureMapRank.rank(mapOfRank(6, 5, 1), tol));
        assertEquals(2, FeatureMapRank.rank(mapOfRank(6, 5, 2), tol));
        assertEquals(5, FeatureMapRank.rank(mapOfRank(6, 5, 5), tol));
        assertEquals(3, FeatureMapRank.rank(Nd4j.eye(3).castTo(DataType.FLOAT), tol));
    }

    @Test
    void toleranceFollowsMatrixRank() {
        // max(h, w) * eps(float) = 7 * 2^-23
        assertEquals(7 * Math.pow(2, -23), FeatureMapRank.relativeTolerance(7, 3, DataType.FLOAT), 0);
        assertEquals(4 * Math.pow(2, -52), FeatureMapRank.relativeTolerance(2, 4, DataType.DOUBLE), 0);
        // diag(1, 1e-9): the second singular value is far below 2 * 2^-23 of the first
        INDArray nearlyRankOne = Nd4j.createFromArray(new float[][] {{1, 0}, {0, 1e-9f}});
        assertEquals(1, FeatureMapRank.rank(nearlyRankOne, FeatureMapRank.relativeTolerance(2, 2, DataType.FLOAT)));
        assertThrows(IllegalArgumentException.class, () -> FeatureMapRank.relativeTolerance(0, 3, DataType.FLOAT));
        assertThrows(IllegalArgumentException.class, () -> FeatureMapRank.relativeTolerance(3, 3, DataType.INT32));
    }

    @Test
    void rankSumsAddEachChannelsRanksOverTheBatch() {
        int[][] ranks = {{1, 2, 0}, {2, 2, 4}};
        INDArray maps = Nd4j.zeros(DataType.FLOAT, 2, 3, 5, 4);
        for (int i = 0; i < 2; i++) {
            for (int c = 0; c < 3; c++) {
                maps.get(NDArrayIndex.point(i), NDArrayIndex.point(c), NDArrayIndex.all(), NDArrayIndex.all())
                        .assign(mapOfRank(5, 4, ranks[i][c]));
            }
        }
        INDArray copy = maps.dup();
        // channel sums: 1 + 2 = 3, 2 + 2 = 4, 0 + 4 = 4
        assertArrayEquals(new double[] {3, 4, 4}, FeatureMapRank.rankSums(maps), 0);
        assertEquals(copy, maps);
        assertThrows(IllegalArgumentException.class, () -> FeatureMapRank.rankSums(Nd4j.zeros(3, 4)));
    }
}
