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
     * Blocks where they were measured faster (docs/deployment.md, AVX-512): when the blocks store at most
     * {@link #AUTO_FILL_LIMIT} times as many weights as the layer has non-zeros (dense layers and, with random
     * masks, densities down to about 0.2) and each weight's run has at least {@link #AUTO_MIN_RUN} floats;
     * else one channel at a time. With {@link KernelInstructions#SCALAR} always one channel at a time (the scalar
     * blocks measured 0.92-0.95x the speed of the scalar rows on dense layers).
     */
    AUTO,
    /** One output channel at a time (the kernel of earlier versions). */
    NEVER,
    /** Blocks of four output channels wherever there are four (the rest one at a time). */
    ALWAYS;

    /** Stored weights per non-zero up to which {@link #AUTO} uses blocks. */
    public static final double AUTO_FILL_LIMIT = 3.0;
    /**
     * Shortest run (output positions per weight, at padded width) for which {@link #AUTO} uses blocks: on shorter
     * ones (4x4 and 2x2 planes) most positions fall in the scalar tail and blocks were not reliably faster.
     */
    public static final int AUTO_MIN_RUN = 64;

    /**
     * @param fill stored weights per non-zero of the blocks ({@code ChannelBlocks.fill()})
     * @param run floats each weight multiplies ({@code ConvolutionLayout.rowRun})
     * @return true if this choice computes with the blocks
     */
    boolean uses(double fill, int run) {
        return switch (this) {
            case AUTO -> fill <= AUTO_FILL_LIMIT && run >= AUTO_MIN_RUN;
            case NEVER -> false;
            case ALWAYS -> !Double.isInfinite(fill);
        };
    }
}
