package org.rpg4j.structured;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.rank.RankMetrics;

/**
 * The rank of feature maps, HRank's channel score (Lin et al., "HRank: Filter Pruning using
 * High-Rank Feature Map", CVPR 2020, eq. 6): the numerical rank of each {@code [h, w]} map, the
 * number of its singular values above {@code max(h, w) * eps * sigma_max}, as
 * {@code torch.linalg.matrix_rank} counts them ({@code eps} is the machine epsilon of the
 * activations' type: {@code 2^-23} for float). The singular values come from rpg4j's
 * {@link RankMetrics#numericalRanks(INDArray, double)} (LAPACK {@code gesvd}, one call per map).
 */
public final class FeatureMapRank {
    private FeatureMapRank() {}

    /**
     * @param height map height, {@code >= 1}
     * @param width map width, {@code >= 1}
     * @param type the activations' floating-point type
     * @return {@code max(height, width) * eps(type)}, the tolerance relative to {@code sigma_max}
     * @throws IllegalArgumentException if a side is below 1 or the type is not floating point
     */
    public static double relativeTolerance(long height, long width, DataType type) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("map sides must be >= 1, got " + height + " x " + width);
        }
        double eps = switch (type) {
            case DOUBLE -> Math.ulp(1.0);
            case FLOAT -> Math.ulp(1.0f);
            case HALF -> Math.pow(2, -10);
            case BFLOAT16 -> Math.pow(2, -7);
            default -> throw new IllegalArgumentException("type must be floating point, got " + type);
        };
        return Math.max(height, width) * eps;
    }

    /**
     * @param map one feature map {@code [h, w]}; not modified
     * @param relativeTolerance singular values at or below {@code relativeTolerance * sigma_max} do not count
     * @return the numerical rank, in {@code [0, min(h, w)]}; 0 for an all-zero map
     * @throws IllegalArgumentException if the map is not of rank 2, not finite, or the tolerance is negative
     */
    public static int rank(INDArray map, double relativeTolerance) {
        if (map == null || map.rank() != 2) {
            throw new IllegalArgumentException("map must be [h, w], got "
                    + (map == null ? "null" : java.util.Arrays.toString(map.shape())));
        }
        return RankMetrics.numericalRank(map, relativeTolerance);
    }

    /**
     * Sums, per channel, the ranks of the maps of every image of a batch.
     *
     * @param maps activations {@code [n, c, h, w]}; not modified
     * @return {@code c} sums of ranks over the {@code n} images (divide by the image count for HRank's average)
     * @throws IllegalArgumentException if {@code maps} is not of rank 4 or not finite
     */
    public static double[] rankSums(INDArray maps) {
        if (maps == null || maps.rank() != 4) {
            throw new IllegalArgumentException("maps must be [n, c, h, w], got "
                    + (maps == null ? "null" : java.util.Arrays.toString(maps.shape())));
        }
        int n = (int) maps.size(0);
        int channels = (int) maps.size(1);
        double tolerance = relativeTolerance(maps.size(2), maps.size(3), maps.dataType());
        int[] ranks = RankMetrics.numericalRanks(maps.reshape('c', (long) n * channels, maps.size(2), maps.size(3)),
                tolerance);
        double[] sums = new double[channels];
        for (int i = 0; i < ranks.length; i++) {
            sums[i % channels] += ranks[i];
        }
        return sums;
    }
}
