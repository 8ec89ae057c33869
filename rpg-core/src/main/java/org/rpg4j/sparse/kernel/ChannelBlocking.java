package org.rpg4j.sparse.kernel;

/**
 * Whether a {@link SparseConvolution} computes its output channels one at a time (each source vector it loads
 * feeds one multiply-add) or in blocks of four that share their taps (each load feeds four, at the price of a
 * stored zero wherever one of the four channels has no weight at a tap the others use). Both give the same
 * outputs bit for bit with the Vector API (the same fused multiply-adds in the same order; a stored zero adds
 * nothing), so the choice changes only the speed.
 */
public enum ChannelBlocking {
    /**
     * Blocks where they are expected to be faster: when the blocks store at most {@link #AUTO_FILL_LIMIT} times
     * as many weights as the layer has non-zeros (dense layers and moderately sparse ones), else one channel at
     * a time (the limit measured on the ResNet-56 and VGG-19 shapes, see docs/deployment.md).
     */
    AUTO,
    /** One output channel at a time (the kernel of earlier versions). */
    NEVER,
    /** Blocks of four output channels wherever there are four (the rest one at a time). */
    ALWAYS;

    /** Stored weights per non-zero up to which {@link #AUTO} uses blocks. */
    public static final double AUTO_FILL_LIMIT = 3.0;

    /**
     * @param fill stored weights per non-zero of the blocks ({@code ChannelBlocks.fill()})
     * @return true if this choice computes with the blocks
     */
    boolean uses(double fill) {
        return switch (this) {
            case AUTO -> fill <= AUTO_FILL_LIMIT;
            case NEVER -> false;
            case ALWAYS -> !Double.isInfinite(fill);
        };
    }
}
