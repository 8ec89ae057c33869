package org.rpg4j.examples.train;

import org.rpg4j.mask.LayerBudget;
import org.rpg4j.prune.RankLayers;

/**
 * The pruning options of the command line, before they become an rpg4j {@code PruningConfig}.
 *
 * @param targetSparsity final fraction of zeros over all prunable weights, in [0, 1)
 * @param lambda weight of the adversarial rank loss (rpg, rpg-reg), {@code >= 0}
 * @param partialK tail-energy fraction the rank loss's best rank-k approximation discards, in [0, 1]
 * @param deltaT iterations between topology updates, {@code >= 1}
 * @param rampEnd fraction of training at which the density ramp ends, in (0, 1]
 * @param updateEnd fraction of training after which topology updates stop, in [rampEnd, 1]
 * @param alpha initial drop fraction of regrowth, in [0, 1]
 * @param seed seed of the pruner's random choices
 * @param rankLayers which layers get the rank loss: convolutions only (the reference) or every
 *     prunable layer, dense and output layers included
 * @param budget how the target sparsity is split between layers (global threshold, uniform, ERK)
 */
public record PruningSettings(double targetSparsity, double lambda, double partialK, int deltaT, double rampEnd,
                              double updateEnd, double alpha, long seed, RankLayers rankLayers,
                              LayerBudget budget) {
    /** @throws IllegalArgumentException naming the first invalid value */
    public PruningSettings {
        if (!(targetSparsity >= 0 && targetSparsity < 1)) {
            throw new IllegalArgumentException("sparsity must be in [0, 1), got " + targetSparsity);
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
        }
        if (!(partialK >= 0 && partialK <= 1)) {
            throw new IllegalArgumentException("partialK must be in [0, 1], got " + partialK);
        }
        if (deltaT < 1) {
            throw new IllegalArgumentException("deltaT must be >= 1, got " + deltaT);
        }
        if (!(rampEnd > 0 && rampEnd <= 1)) {
            throw new IllegalArgumentException("rampEnd must be in (0, 1], got " + rampEnd);
        }
        if (!(updateEnd >= rampEnd && updateEnd <= 1)) {
            throw new IllegalArgumentException("updateEnd must be in [rampEnd = " + rampEnd + ", 1], got " + updateEnd);
        }
        if (rankLayers == null) {
            throw new IllegalArgumentException("rankLayers must be CONVOLUTIONS or ALL_PRUNABLE, got null");
        }
        if (budget == null) {
            throw new IllegalArgumentException("budget must be GLOBAL, UNIFORM or ERK, got null");
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
    }
}
