package org.rpg4j.dl4j.deploy.runner;

/**
 * Which layers the runner computes itself on Java arrays, besides convolutions and dense layers
 * (which always get a sparse or dense kernel) and residual adds.
 */
public enum StepCoverage {
    /**
     * Only convolutions, dense layers and residual adds: pooling runs DL4J's own layer, with a bulk copy
     * between Java and ND4J arrays on each side (the runner before pooling steps; kept for comparison).
     */
    KERNELS,
    /** Also 2-D max pooling and global AVG/MAX/SUM pooling on Java arrays (the default). */
    KERNELS_AND_POOLING
}
