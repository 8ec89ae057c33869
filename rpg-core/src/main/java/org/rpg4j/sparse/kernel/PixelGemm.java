package org.rpg4j.sparse.kernel;

/**
 * The inner product of {@link SmallPlaneConvolution}: {@code acc[p * width + o] = sum_k patches[k * pixels + p]
 * * weights[k * width + o]} for every pixel {@code p < pixels} and output channel {@code o < width}, where
 * {@code width} is the output channel count rounded up to {@link #lanes()} (the weights' extra columns are zero).
 * The output channels are the vector dimension, so a layer with a tiny output plane (2x2, 4x4) still fills whole
 * vectors.
 */
interface PixelGemm {

    /** @return the multiple the channel width must be rounded up to (1 for the scalar loop) */
    int lanes();

    /**
     * @param weights {@code [patch, width]} row-major
     * @param width output channels rounded up to {@link #lanes()}
     * @param patches {@code [patch, pixels]} row-major
     * @param patch rows of both ({@code inChannels * kh * kw})
     * @param pixels output pixels of one image
     * @param acc {@code [pixels, width]}, overwritten
     */
    void multiply(float[] weights, int width, float[] patches, int patch, int pixels, float[] acc);
}
