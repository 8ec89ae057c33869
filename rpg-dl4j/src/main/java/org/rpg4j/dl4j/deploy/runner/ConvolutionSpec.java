package org.rpg4j.dl4j.deploy.runner;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.rpg4j.sparse.kernel.ConvolutionShape;

/**
 * The geometry of a DL4J 2-D convolution layer, turned into output sizes and padding for a given
 * input size: Same mode as DL4J and libnd4j compute it ({@code out = ceil(in / s)}, top/left padding
 * {@code ((out - 1) * s + k' - in) / 2} with {@code k' = (k - 1) * d + 1}), otherwise
 * {@code out = (in + 2p - k') / s + 1}.
 *
 * @param inChannels input channels
 * @param outChannels output channels
 * @param kernel {@code [kh, kw]}
 * @param stride {@code [sh, sw]}
 * @param padding {@code [ph, pw]} (ignored in Same mode)
 * @param dilation {@code [dh, dw]}
 * @param same true in {@link ConvolutionMode#Same}
 */
record ConvolutionSpec(int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding, int[] dilation,
                       boolean same) {

    /** @return the spec of a DL4J convolution configuration */
    static ConvolutionSpec of(ConvolutionLayer conf) {
        return new ConvolutionSpec((int) conf.getNIn(), (int) conf.getNOut(), conf.getKernelSize().clone(),
                conf.getStride().clone(), conf.getPadding().clone(), conf.getDilation().clone(),
                conf.getConvolutionMode() == ConvolutionMode.Same);
    }

    boolean dilated() {
        return dilation[0] != 1 || dilation[1] != 1;
    }

    int outSize(int axis, long in) {
        int effectiveKernel = (kernel[axis] - 1) * dilation[axis] + 1;
        if (same) {
            return (int) ((in + stride[axis] - 1) / stride[axis]);
        }
        return (int) ((in + 2L * padding[axis] - effectiveKernel) / stride[axis] + 1);
    }

    int padBefore(int axis, long in) {
        if (!same) {
            return padding[axis];
        }
        int effectiveKernel = (kernel[axis] - 1) * dilation[axis] + 1;
        return (int) Math.max(0, ((outSize(axis, in) - 1L) * stride[axis] + effectiveKernel - in) / 2);
    }

    /** @return the kernel geometry for an input of {@code height x width} (dilation must be 1) */
    ConvolutionShape shape(long height, long width) {
        return new ConvolutionShape(inChannels, (int) height, (int) width, outChannels, kernel[0], kernel[1],
                stride[0], stride[1], padBefore(0, height), padBefore(1, width), outSize(0, height),
                outSize(1, width));
    }

    /** @return libnd4j's conv2d integer arguments (NCHW, weights {@code [oC, iC, kH, kW]}) */
    long[] opArguments() {
        return new long[] {kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], dilation[0],
                dilation[1], same ? 1 : 0, 0, 1};
    }

    @Override
    public String toString() {
        return "conv " + kernel[0] + "x" + kernel[1] + "/" + stride[0] + " " + inChannels + "->" + outChannels;
    }
}
