package org.rpg4j.prune;

/** Which prunable tensors receive the adversarial rank loss. */
public enum RankLayers {
    /** Convolution kernels only, as the reference (dense and output layers are pruned but get no rank loss). */
    CONVOLUTIONS,
    /** Every prunable tensor, dense and output layers included. */
    ALL_PRUNABLE
}
