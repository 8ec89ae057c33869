package org.rpg4j.sparse.kernel;

/**
 * The geometry of one 2-D convolution on NCHW activations, without the batch size: input
 * {@code [batch, inChannels, inHeight, inWidth]}, weights {@code [outChannels, inChannels, kernelHeight,
 * kernelWidth]}, output {@code [batch, outChannels, outHeight, outWidth]}, dilation 1. Padding is given
 * as top and left; the bottom and right padding are whatever the output size needs (zeros).
 *
 * @param inChannels input channels, &ge; 1
 * @param inHeight input height, &ge; 1
 * @param inWidth input width, &ge; 1
 * @param outChannels output channels, &ge; 1
 * @param kernelHeight kernel height, &ge; 1
 * @param kernelWidth kernel width, &ge; 1
 * @param strideHeight vertical stride, &ge; 1
 * @param strideWidth horizontal stride, &ge; 1
 * @param padTop zero rows above the input, &ge; 0
 * @param padLeft zero columns left of the input, &ge; 0
 * @param outHeight output height, &ge; 1
 * @param outWidth output width, &ge; 1
 */
public record ConvolutionShape(int inChannels, int inHeight, int inWidth, int outChannels, int kernelHeight,
                               int kernelWidth, int strideHeight, int strideWidth, int padTop, int padLeft,
                               int outHeight, int outWidth) {

    /**
     * Validates the geometry.
     *
     * @param inChannels input channels, &ge; 1
     * @param inHeight input height in pixels, &ge; 1
     * @param inWidth input width in pixels, &ge; 1
     * @param outChannels output channels (filters), &ge; 1
     * @param kernelHeight kernel height in pixels, &ge; 1
     * @param kernelWidth kernel width in pixels, &ge; 1
     * @param strideHeight vertical stride in pixels, &ge; 1
     * @param strideWidth horizontal stride in pixels, &ge; 1
     * @param padTop zero rows above the input, &ge; 0
     * @param padLeft zero columns left of the input, &ge; 0
     * @param outHeight output height in pixels, &ge; 1
     * @param outWidth output width in pixels, &ge; 1
     * @throws IllegalArgumentException if a size or stride is below 1, a padding is negative, or a
     *     kernel window at the output's edge would start beyond the padded input
     */
    public ConvolutionShape {
        positive("inChannels", inChannels);
        positive("inHeight", inHeight);
        positive("inWidth", inWidth);
        positive("outChannels", outChannels);
        positive("kernelHeight", kernelHeight);
        positive("kernelWidth", kernelWidth);
        positive("strideHeight", strideHeight);
        positive("strideWidth", strideWidth);
        positive("outHeight", outHeight);
        positive("outWidth", outWidth);
        if (padTop < 0 || padLeft < 0) {
            throw new IllegalArgumentException("padTop and padLeft must be >= 0, got " + padTop + ", " + padLeft);
        }
        if ((outHeight - 1) * strideHeight - padTop >= inHeight || (outWidth - 1) * strideWidth - padLeft >= inWidth) {
            throw new IllegalArgumentException("output " + outHeight + "x" + outWidth + " is too large for input "
                    + inHeight + "x" + inWidth + " with stride " + strideHeight + "x" + strideWidth + " and padding "
                    + padTop + "," + padLeft);
        }
    }

    /** @return {@code inChannels * kernelHeight * kernelWidth}: the columns of the weight matrix */
    public int patchSize() {
        return inChannels * kernelHeight * kernelWidth;
    }

    /** @return {@code inChannels * inHeight * inWidth}: input values per image */
    public int inputSize() {
        return inChannels * inHeight * inWidth;
    }

    /** @return {@code outChannels * outHeight * outWidth}: output values per image */
    public int outputSize() {
        return outChannels * outHeight * outWidth;
    }

    /** @return multiply-adds per image of the dense convolution */
    public long denseMultiplyAdds() {
        return (long) outChannels * patchSize() * outHeight * outWidth;
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }

    /**
     * Checks the arrays of a batch call: plain NCHW input and output of this geometry.
     *
     * @param input {@code [batch, inChannels, inHeight, inWidth]} row-major
     * @param batch images, &ge; 1
     * @param output {@code [batch, outChannels, outHeight, outWidth]} row-major
     * @param residual null, or a term of the output's length
     * @throws IllegalArgumentException if the batch is below 1 or an array is null or has the wrong length
     */
    void checkBatchArrays(float[] input, int batch, float[] output, float[] residual) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        long inLength = (long) batch * inputSize();
        long outLength = (long) batch * outputSize();
        if (input == null || input.length != inLength) {
            throw new IllegalArgumentException("input must have length batch * inChannels * inHeight * inWidth = "
                    + inLength + ", got " + (input == null ? "null" : input.length));
        }
        if (output == null || output.length != outLength) {
            throw new IllegalArgumentException("output must have length batch * outChannels * outHeight * outWidth = "
                    + outLength + ", got " + (output == null ? "null" : output.length));
        }
        if (residual != null && residual.length != outLength) {
            throw new IllegalArgumentException("residual must have the output's length " + outLength + ", got "
                    + residual.length);
        }
    }
}
