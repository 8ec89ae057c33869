package org.rpg4j.examples.models;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.Activation;

/**
 * DL4J's own {@link ConvolutionLayer}, {@link BatchNormalization} and {@link ActivationLayer}. Portable, but the convolution
 * runs an im2col path that is slow on CPU in DL4J 1.0.0-M2.1 (about 11 images/s for ResNet-20 on
 * two cores).
 */
public final class StandardLayers implements LayerKit {
    /** The shared instance (the class holds no state). */
    public static final StandardLayers INSTANCE = new StandardLayers();

    private StandardLayers() {}

    @Override
    public Layer convolution(int nIn, int nOut, int kernel, int stride) {
        Checks.convolution(nIn, nOut, kernel, stride);
        int padding = (kernel - 1) / 2;
        return new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).padding(padding, padding)
                .convolutionMode(ConvolutionMode.Truncate).nIn(nIn).nOut(nOut).hasBias(false)
                .activation(Activation.IDENTITY).build();
    }

    @Override
    public Layer batchNorm(int channels) {
        Checks.positive("channels", channels);
        return new BatchNormalization.Builder().nOut(channels).eps(1e-5).decay(0.9).build();
    }

    @Override
    public Layer relu() {
        return new ActivationLayer.Builder().activation(Activation.RELU).build();
    }

    @Override
    public String name() {
        return "standard";
    }
}
