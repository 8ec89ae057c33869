package org.rpg4j.sparse.kernel;

import java.util.Arrays;

/**
 * A convolution with very few non-zero weights, computed straight from the input: each non-zero
 * {@code w (o, c, ky, kx)} adds {@code w} times input channel {@code c}, shifted by {@code (ky, kx)}
 * and strided, to output channel {@code o} over the output positions whose input lies inside the
 * image (padding contributes zeros). No padded copy or im2col of the image is made, so a layer with a
 * handful of non-zeros costs about {@code nonZeros * outHeight * outWidth} multiply-adds plus the
 * bias store, instead of a copy of the whole input per image ({@link SparseConvolution} uses it
 * when that copy would cost more than the products).
 */
final class ShiftedTaps {

    private final ConvolutionShape shape;
    private final int[] rowStart;
    private final int[] columns;
    private final float[] values;

    /**
     * @param shape the convolution's geometry
     * @param weights the CSR weights {@code [outChannels, inChannels * kh * kw]}
     */
    ShiftedTaps(ConvolutionShape shape, CsrMatrix weights) {
        this.shape = shape;
        this.rowStart = weights.rowStarts();
        this.columns = weights.columns();
        this.values = weights.values();
    }

    /**
     * One image: {@code output = activation(bias + sum of the shifted, weighted inputs)}.
     *
     * @param bias {@code [outChannels]}; not modified
     * @param activation applied to every output
     * @param input NCHW input; not modified
     * @param inBase index of the image's first input value
     * @param residual NCHW, added before the activation at the output's indices, or null; not modified
     * @param output NCHW output; the image's {@code [outChannels, outHeight, outWidth]} block is overwritten
     * @param outBase index of the image's first output value
     */
    void image(float[] bias, FusedActivation activation, float[] input, int inBase, float[] residual, float[] output,
               int outBase) {
        ConvolutionShape s = shape;
        int plane = s.outHeight() * s.outWidth();
        int taps = s.kernelHeight() * s.kernelWidth();
        for (int o = 0; o < s.outChannels(); o++) {
            int outChannel = outBase + o * plane;
            Arrays.fill(output, outChannel, outChannel + plane, bias[o]);
            for (int k = rowStart[o]; k < rowStart[o + 1]; k++) {
                int c = columns[k] / taps;
                int ky = columns[k] % taps / s.kernelWidth();
                int kx = columns[k] % s.kernelWidth();
                // output y reads input row y * sh + ky - padTop, which must lie in [0, inHeight)
                int yFrom = Math.max(0, Math.floorDiv(s.padTop() - ky + s.strideHeight() - 1, s.strideHeight()));
                int yTo = Math.min(s.outHeight(), Math.floorDiv(s.inHeight() - 1 + s.padTop() - ky, s.strideHeight())
                        + 1);
                int xFrom = Math.max(0, Math.floorDiv(s.padLeft() - kx + s.strideWidth() - 1, s.strideWidth()));
                int xTo = Math.min(s.outWidth(), Math.floorDiv(s.inWidth() - 1 + s.padLeft() - kx, s.strideWidth())
                        + 1);
                float w = values[k];
                for (int y = yFrom; y < yTo; y++) {
                    int inRow = inBase + (c * s.inHeight() + y * s.strideHeight() + ky - s.padTop()) * s.inWidth()
                            + kx - s.padLeft();
                    int outRow = outChannel + y * s.outWidth();
                    for (int x = xFrom; x < xTo; x++) {
                        output[outRow + x] += w * input[inRow + x * s.strideWidth()];
                    }
                }
            }
            SparseConvolution.addResidual(residual, output, outChannel, plane);
            activation.applyInPlace(output, outChannel, plane);
        }
    }
}
