package org.rpg4j.rank;

/**
 * The rank loss aggregated over layers, as returned by {@link
 * AdversarialRankLoss#aggregate(java.util.List, double)}.
 *
 * <p>The total rank term of the objective is {@code lambda * meanLoss}; its gradient with respect
 * to one layer's weights is {@code gradientCoefficient * result.gradient()}.
 *
 * @param meanLoss mean of {@code loss} over the active layers (not multiplied by lambda); {@code
 *     0} when no layer is active
 * @param activeLayers number of layers with {@link RankLossResult#active()}, {@code >= 0}
 * @param gradientCoefficient {@code lambda / activeLayers}, or {@code 0} when no layer is active
 */
public record RankLossAggregate(double meanLoss, int activeLayers, double gradientCoefficient) {

    /**
     * Validates the components.
     *
     * @param meanLoss see {@link #meanLoss()}
     * @param activeLayers see {@link #activeLayers()}
     * @param gradientCoefficient see {@link #gradientCoefficient()}
     * @throws IllegalArgumentException if a value is NaN or infinite, {@code activeLayers} is
     *     negative, or {@code activeLayers == 0} with a non-zero loss or coefficient
     */
    public RankLossAggregate {
        if (!Double.isFinite(meanLoss)) {
            throw new IllegalArgumentException("meanLoss must be finite, got " + meanLoss);
        }
        if (activeLayers < 0) {
            throw new IllegalArgumentException("activeLayers must be >= 0, got " + activeLayers);
        }
        if (!Double.isFinite(gradientCoefficient)) {
            throw new IllegalArgumentException(
                    "gradientCoefficient must be finite, got " + gradientCoefficient);
        }
        if (activeLayers == 0 && (meanLoss != 0.0 || gradientCoefficient != 0.0)) {
            throw new IllegalArgumentException(
                    "with no active layer meanLoss and gradientCoefficient must be 0, got "
                            + meanLoss
                            + " and "
                            + gradientCoefficient);
        }
    }
}
