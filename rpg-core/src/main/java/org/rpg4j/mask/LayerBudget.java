package org.rpg4j.mask;

/**
 * How a global density is shared between the prunable tensors at a magnitude prune.
 * {@link LayerBudgets#keepMasks} applies it.
 */
public enum LayerBudget {
    /**
     * One magnitude threshold over all tensors together (the RPG reference default); per-layer
     * densities fall out of it. See {@link GlobalMagnitudeSelection}.
     */
    GLOBAL,
    /**
     * Every tensor gets the same density (the reference's {@code alluniform}; its {@code uniform}
     * variant, which also keeps the first layer and dense layers dense, is UNIFORM with caps of 0
     * on those tensors), then a per-tensor magnitude top-K.
     */
    UNIFORM,
    /**
     * Erdős–Rényi-Kernel densities (Evci et al., RigL, 2020), as the reference's
     * {@code get_erdos_renyi_dist}: density proportional to {@code sum(shape) / prod(shape)},
     * tensors whose density would exceed 1 made dense, then a per-tensor magnitude top-K. See
     * {@link LayerBudgets#erkDensities(long[][], double)}.
     */
    ERK
}
