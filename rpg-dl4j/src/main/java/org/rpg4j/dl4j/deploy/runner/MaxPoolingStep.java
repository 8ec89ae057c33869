package org.rpg4j.dl4j.deploy.runner;

import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.rpg4j.sparse.kernel.ConvolutionShape;
import org.rpg4j.sparse.kernel.KernelThreading;

/**
 * DL4J's 2-D max pooling ({@code SubsamplingLayer} with {@code PoolingType.MAX}, NCHW, dilation 1,
 * Truncate or Same mode) on Java arrays: {@code [batch, c, h, w] -> [batch, c, oh, ow]}, each output the
 * largest input in its window clipped to the image (padding never wins, as in libnd4j's
 * {@code maxpool2d}). Output sizes and Same-mode padding are those of the convolution of the same
 * geometry ({@link ConvolutionSpec}). Images are spread over threads like the sparse kernels.
 */
final class MaxPoolingStep implements Step {

    private final String name;
    private final ConvolutionSpec spec;
    private final KernelThreading threading;

    /**
     * @param name the layer name
     * @param spec the window geometry (its channel counts are replaced by the input's)
     * @param threading how images are spread over threads
     */
    private MaxPoolingStep(String name, ConvolutionSpec spec, KernelThreading threading) {
        this.name = name;
        this.spec = spec;
        this.threading = threading;
    }

    /**
     * @param conf a layer configuration
     * @return true for a max-pooling layer this step computes: exactly {@code SubsamplingLayer}, MAX,
     *     NCHW, dilation 1, Truncate or Same mode, padding smaller than the window
     */
    static boolean accepts(org.deeplearning4j.nn.conf.layers.Layer conf) {
        if (conf.getClass() != SubsamplingLayer.class) {
            return false;
        }
        SubsamplingLayer s = (SubsamplingLayer) conf;
        ConvolutionMode mode = s.getConvolutionMode();
        return s.getPoolingType() == PoolingType.MAX && s.getCnn2dDataFormat() == CNN2DFormat.NCHW
                && s.getDilation()[0] == 1 && s.getDilation()[1] == 1
                && (mode == ConvolutionMode.Truncate || mode == ConvolutionMode.Same)
                && s.getPadding()[0] < s.getKernelSize()[0] && s.getPadding()[1] < s.getKernelSize()[1];
    }

    /**
     * @param conf a layer {@link #accepts} accepts
     * @param threading how images are spread over threads
     * @return the step
     */
    static MaxPoolingStep of(SubsamplingLayer conf, KernelThreading threading) {
        ConvolutionSpec spec = new ConvolutionSpec(1, 1, conf.getKernelSize().clone(),
                conf.getStride().clone(), conf.getPadding().clone(), new int[] {1, 1},
                conf.getConvolutionMode() == ConvolutionMode.Same);
        return new MaxPoolingStep(conf.getLayerName(), spec, threading);
    }

    @Override
    public Tensor run(Tensor[] inputs) {
        Tensor input = inputs[0];
        long[] in = input.shape();
        if (in.length != 4) {
            throw new IllegalArgumentException("max-pooling layer " + name + " expects input [batch, channels, "
                    + "height, width], got " + Arrays.toString(in));
        }
        ConvolutionShape shape = new ConvolutionSpec((int) in[1], (int) in[1], spec.kernel(), spec.stride(),
                spec.padding(), spec.dilation(), spec.same()).shape(in[2], in[3]);
        int batch = (int) in[0];
        float[] x = input.floats();
        float[] y = new float[batch * shape.outputSize()];
        long work = (long) batch * shape.outputSize() * shape.kernelHeight() * shape.kernelWidth();
        threading.run(batch, work, image -> poolImage(shape, x, image * shape.inputSize(), y,
                image * shape.outputSize()));
        return Tensor.of(y, batch, shape.outChannels(), shape.outHeight(), shape.outWidth());
    }

    /** One image: every channel, every output pixel, the largest value of its clipped window. */
    private static void poolImage(ConvolutionShape s, float[] x, int inBase, float[] y, int outBase) {
        int plane = s.inHeight() * s.inWidth();
        int outPlane = s.outHeight() * s.outWidth();
        for (int c = 0; c < s.inChannels(); c++) {
            int xc = inBase + c * plane;
            int yc = outBase + c * outPlane;
            for (int oy = 0; oy < s.outHeight(); oy++) {
                int top = oy * s.strideHeight() - s.padTop();
                int rowFrom = Math.max(top, 0);
                int rowTo = Math.min(top + s.kernelHeight(), s.inHeight());
                for (int ox = 0; ox < s.outWidth(); ox++) {
                    int left = ox * s.strideWidth() - s.padLeft();
                    int colFrom = Math.max(left, 0);
                    int colTo = Math.min(left + s.kernelWidth(), s.inWidth());
                    float max = Float.NEGATIVE_INFINITY;
                    for (int iy = rowFrom; iy < rowTo; iy++) {
                        int row = xc + iy * s.inWidth();
                        for (int ix = colFrom; ix < colTo; ix++) {
                            max = Math.max(max, x[row + ix]);
                        }
                    }
                    y[yc + oy * s.outWidth() + ox] = max;
                }
            }
        }
    }

    @Override
    public List<LayerChoice> choices() {
        String operation = "max pool " + spec.kernel()[0] + "x" + spec.kernel()[1] + "/" + spec.stride()[0];
        return List.of(new LayerChoice(name, operation, Double.NaN, 0, Double.NaN, Double.NaN, KernelKind.JAVA));
    }
}
