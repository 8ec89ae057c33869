package org.rpg4j.prune;

import java.util.Objects;

/**
 * Settings of the adversarial rank loss (immutable; each method returns a modified copy).
 *
 * <p>{@code RankLoss.lambda(3.0).partialK(0.2)} reads as the reference recipe for 95 % sparsity.
 * Defaults ({@link PruningDefaults}): {@code partialK = 0.1}, {@link RankLossMode#REFERENCE},
 * {@code rankEvery = 1}, {@link RankLayers#CONVOLUTIONS}, {@code minLayerSparsity = 0}. Invalid values
 * throw a {@link PruningConfigException} naming the setting.
 */
public final class RankLoss {
    private final double lambda;
    private final double partialK;
    private final RankLossMode mode;
    private final int rankEvery;
    private final RankLayers layers;
    private final double minLayerSparsity;

    private RankLoss(double lambda, double partialK, RankLossMode mode, int rankEvery, RankLayers layers,
                     double minLayerSparsity) {
        this.lambda = Checks.nonNegativeFinite("lambda", lambda);
        this.partialK = Checks.inClosedRange("partialK", partialK, 0.0, 1.0);
        this.mode = Checks.notNull("mode", mode);
        this.rankEvery = (int) Checks.atLeast("rankEvery", rankEvery, 1);
        this.layers = Checks.notNull("layers", layers);
        this.minLayerSparsity = Checks.inClosedRange("minLayerSparsity", minLayerSparsity, 0.0, 1.0);
    }

    /**
     * The rank loss with weight {@code lambda} in the total loss {@code CE + lambda * L_rank}.
     *
     * @param lambda finite, {@code >= 0}; 0 switches the rank loss off
     * @return the settings: {@code partialK = 0.1}, reference mode, every iteration, convolutions, no sparsity
     *     threshold
     * @throws IllegalArgumentException if lambda is negative, NaN or infinite
     */
    public static RankLoss lambda(double lambda) {
        return new RankLoss(lambda, PruningDefaults.PARTIAL_K, PruningDefaults.RANK_LOSS_MODE,
                PruningDefaults.RANK_EVERY, PruningDefaults.RANK_LAYERS, PruningDefaults.MIN_LAYER_SPARSITY);
    }

    /**
     * No rank loss (lambda = 0): regrowth by the plain dense gradient, as RigL.
     *
     * @return the settings with {@code lambda = 0}
     */
    public static RankLoss none() {
        return lambda(0.0);
    }

    /**
     * @param partialK tail-energy fraction in [0, 1] that the best rank-k approximation discards
     * @return a copy with this fraction
     */
    public RankLoss partialK(double partialK) {
        return new RankLoss(lambda, partialK, mode, rankEvery, layers, minLayerSparsity);
    }

    /**
     * @param mode reference (regrowth score only) or regulariser
     * @return a copy with this mode
     */
    public RankLoss mode(RankLossMode mode) {
        return new RankLoss(lambda, partialK, mode, rankEvery, layers, minLayerSparsity);
    }

    /**
     * @param rankEvery in regulariser mode, add the rank gradient every this many iterations ({@code >= 1})
     * @return a copy with this period
     */
    public RankLoss rankEvery(int rankEvery) {
        return new RankLoss(lambda, partialK, mode, rankEvery, layers, minLayerSparsity);
    }

    /**
     * @param layers which tensors get the rank loss
     * @return a copy with these layers
     */
    public RankLoss layers(RankLayers layers) {
        return new RankLoss(lambda, partialK, mode, rankEvery, layers, minLayerSparsity);
    }

    /**
     * @param minLayerSparsity a layer joins the rank loss only when its zero fraction is at least
     *     this (the reference's {@code sparsity_thres}; 0 in its recipes)
     * @return a copy with this threshold
     */
    public RankLoss minLayerSparsity(double minLayerSparsity) {
        return new RankLoss(lambda, partialK, mode, rankEvery, layers, minLayerSparsity);
    }

    /**
     * @return the weight {@code lambda >= 0} of the rank loss; 0 means off
     */
    public double lambda() {
        return lambda;
    }

    /**
     * @return the tail-energy fraction in [0, 1] that the best rank-k approximation discards
     */
    public double partialK() {
        return partialK;
    }

    /**
     * @return reference (regrowth score only) or regulariser
     */
    public RankLossMode mode() {
        return mode;
    }

    /**
     * @return in regulariser mode, the iterations between two rank-gradient additions ({@code >= 1})
     */
    public int rankEvery() {
        return rankEvery;
    }

    /**
     * @return which tensors get the rank loss
     */
    public RankLayers layers() {
        return layers;
    }

    /**
     * @return the zero fraction a layer needs before it joins the rank loss, in [0, 1]
     */
    public double minLayerSparsity() {
        return minLayerSparsity;
    }

    /** @return true when lambda is positive */
    public boolean enabled() {
        return lambda > 0;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RankLoss other)) {
            return false;
        }
        return Double.compare(lambda, other.lambda) == 0 && Double.compare(partialK, other.partialK) == 0
                && mode == other.mode && rankEvery == other.rankEvery && layers == other.layers
                && Double.compare(minLayerSparsity, other.minLayerSparsity) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(lambda, partialK, mode, rankEvery, layers, minLayerSparsity);
    }

    @Override
    public String toString() {
        return "RankLoss{lambda=" + lambda + ", partialK=" + partialK + ", mode=" + mode + ", rankEvery="
                + rankEvery + ", layers=" + layers + ", minLayerSparsity=" + minLayerSparsity + "}";
    }
}
