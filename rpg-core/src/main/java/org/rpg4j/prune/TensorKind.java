package org.rpg4j.prune;

/** The role of a prunable tensor: decides whether it can receive the rank loss. */
public enum TensorKind {
    /** A convolution kernel (any dimensionality, depthwise, separable, transposed). */
    CONVOLUTION,
    /** The weight matrix of a dense or output layer. */
    DENSE
}
