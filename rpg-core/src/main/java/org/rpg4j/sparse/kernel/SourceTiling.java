package org.rpg4j.sparse.kernel;

/**
 * Whether a {@link BatchedConvolution} sums each output row over all input channels at once, or in tiles of input
 * channels and output positions small enough to stay in the core's cache while every output channel reads them
 * (partial sums kept in the output between tiles). Without tiles, the source one output row reads (all input
 * channels, {@code kh} rows, the whole width, the whole batch: 1 MB for 256 channels at 8x8 and batch 32) does not
 * stay in a 1 MB L2 while each output channel reads a scattered part of it, so most loads come from L3. Both give
 * the same sums up to the order of the additions; the choice changes only the speed.
 */
public enum SourceTiling {
    /**
     * Tiles where it was measured faster (docs/deployment.md, session 9, AVX-512): when the source one output row
     * reads exceeds {@link #AUTO_ROW_FLOATS} floats, the row's run fills a tile's ({@code outWidth * batch} at
     * least 128 floats) and the density is at least {@link #AUTO_MIN_DENSITY}.
     */
    AUTO,
    /** One pass over all non-zeros per output row (the kernel of session 8). */
    NEVER,
    /** Tiles wherever the kernel runs. */
    ALWAYS;

    /**
     * Source floats one output row reads (input channels x kernel rows x padded width x batch) above which
     * {@link #AUTO} tiles: 64 K floats (256 KB), a quarter of a 1 MB L2.
     */
    public static final int AUTO_ROW_FLOATS = 1 << 16;
    /**
     * Density from which {@link #AUTO} tiles: below, few non-zeros share each tile's partial sums and the untiled
     * kernel was as fast or faster (256 x 8x8 at batch 32: 0.67x at density 0.02, 1.0x at 0.1, 1.3-1.7x at 0.2-0.35).
     */
    public static final double AUTO_MIN_DENSITY = 0.1;

    /**
     * @param rowFloats source floats one output row reads
     * @param run floats of one output row's run ({@code outWidth * batch})
     * @param density fraction of non-zero weights
     * @return true if this choice tiles
     */
    boolean uses(long rowFloats, int run, double density) {
        return switch (this) {
            case AUTO -> rowFloats > AUTO_ROW_FLOATS && run >= BatchedConvolution.TILE_RUN
                    && density >= AUTO_MIN_DENSITY;
            case NEVER -> false;
            case ALWAYS -> true;
        };
    }
}
