package org.rpg4j.dl4j.activations;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.rpg4j.dl4j.layers.FastConvolutionLayer;

/** Which layers are plain 2-D NCHW convolutions (weights {@code [out, in, kh, kw]}, no depthwise part). */
public final class PlainConvolution {
    private PlainConvolution() {}

    /**
     * @param layer a layer configuration, or null
     * @return whether it is DL4J's {@code ConvolutionLayer} or rpg4j's {@code FastConvolutionLayer} (not a
     *     subclass such as deconvolution, depthwise or separable), in NCHW
     */
    public static boolean is(Layer layer) {
        return layer != null && (layer.getClass() == ConvolutionLayer.class || layer
                .getClass() == FastConvolutionLayer.class)
                && ((ConvolutionLayer) layer).getCnn2dDataFormat() == CNN2DFormat.NCHW;
    }
}
