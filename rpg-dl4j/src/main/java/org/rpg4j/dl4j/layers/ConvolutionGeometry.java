package org.rpg4j.dl4j.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Output shape and libnd4j integer arguments of one 2-D convolution, for one input shape.
 *
 * <p>The {@code conv2d}/{@code conv2d_bp} integer arguments are {@code kH, kW, sH, sW, pH, pW,
 * dH, dW, isSameMode, dataFormat, weightFormat}, with dataFormat 0 = NCHW and weightFormat
 * 1 = {@code [oC, iC, kH, kW]} (DL4J's own layout). In Same mode libnd4j computes the padding
 * itself, top/left = {@code ((out - 1) * s + (k - 1) * d + 1 - in) / 2}, the same rule as DL4J.
 *
 * @param outHeight output height
 * @param outWidth output width
 * @param intArgs the 11 integer arguments of {@code conv2d} and {@code conv2d_bp}
 */
record ConvolutionGeometry(int outHeight, int outWidth, int[] intArgs) {

    private static final int NCHW = 0;
    private static final int WEIGHTS_OIYX = 1;

    /**
     * @param conf the layer configuration
     * @param input NCHW input {@code [batch, channels, h, w]}; only its shape is read
     * @return the geometry; DL4J's own validation runs first, so Strict mode rejects sizes that do
     *     not divide exactly, as DL4J's ConvolutionLayer does
     */
    static ConvolutionGeometry of(ConvolutionLayer conf, INDArray input) {
        int[] kernel = conf.getKernelSize();
        int[] stride = conf.getStride();
        int[] dilation = conf.getDilation();
        boolean same = conf.getConvolutionMode() == ConvolutionMode.Same;
        int[] padding = same ? new int[] {0, 0} : conf.getPadding();
        int[] out = ConvolutionUtils.getOutputSize(input, kernel, stride, same ? null : padding,
                conf.getConvolutionMode(), dilation, CNN2DFormat.NCHW);
        int[] args = {kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1],
                dilation[0], dilation[1], same ? 1 : 0, NCHW, WEIGHTS_OIYX};
        return new ConvolutionGeometry(out[0], out[1], args);
    }

    /**
     * @param batch minibatch size
     * @param channels output channels
     * @return {@code [batch, channels, outHeight, outWidth]}
     */
    long[] outputShape(long batch, long channels) {
        return new long[] {batch, channels, outHeight, outWidth};
    }

    /** @return the integer arguments as {@code long}s, for an op context */
    long[] intArgsAsLong() {
        return java.util.Arrays.stream(intArgs).asLongStream().toArray();
    }

    /** @return true if the kernel is dilated along either axis */
    boolean dilated() {
        return intArgs[6] != 1 || intArgs[7] != 1;
    }
}
