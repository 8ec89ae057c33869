package org.rpg4j.examples.models;

/** The shortcut of a residual block whose shape changes (stride 2, more channels). */
public enum ShortcutKind {
    /**
     * Option A of He et al. (2016), used by the CIFAR ResNets whose parameter counts are usually
     * quoted: the input is subsampled (every second pixel) and the new channels are zeros. No
     * parameters.
     */
    A,
    /** Option B: a strided 1x1 convolution and batch normalisation (adds parameters). */
    B
}
