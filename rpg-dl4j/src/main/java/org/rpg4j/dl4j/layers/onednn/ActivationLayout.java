package org.rpg4j.dl4j.layers.onednn;

/**
 * How a 4-D activation {@code [batch, channels, height, width]} is stored in a row-major float array given to
 * {@link OneDnnInference}: channels before the plane (NCHW, DL4J's layout) or innermost (NHWC, the layout oneDNN's
 * AVX-512 convolutions use for small channel counts, so an NHWC argument needs no reorder there).
 */
public enum ActivationLayout {
    /** {@code [batch, channels, height, width]} row-major. */
    NCHW,
    /** {@code [batch, height, width, channels]} row-major. */
    NHWC
}
