package org.rpg4j.examples.models;

import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.Activation;
import org.rpg4j.dl4j.layers.FastActivationLayer;
import org.rpg4j.dl4j.layers.FastBatchNormalization;
import org.rpg4j.dl4j.layers.FastConvolutionLayer;

/**
 * rpg4j's {@link FastConvolutionLayer}, {@link FastBatchNormalization} and
 * {@link FastActivationLayer}: the same computation and parameter layout as {@link StandardLayers},
 * on libnd4j's native ops (oneDNN kernels with the {@code linux-x86_64-onednn-avx2} classifier,
 * which the build selects on Linux x86-64).
 */
public final class FastLayerKit implements LayerKit {
    /** The shared instance (the class holds no state). */
    public static final FastLayerKit INSTANCE = new FastLayerKit();

    private FastLayerKit() {}

    @Override
    public Layer convolution(int nIn, int nOut, int kernel, int stride) {
        return FastConvolutionLayer.from((ConvolutionLayer) StandardLayers.INSTANCE.convolution(nIn, nOut, kernel,
                stride));
    }

    @Override
    public Layer batchNorm(int channels) {
        return FastBatchNormalization.from((BatchNormalization) StandardLayers.INSTANCE.batchNorm(channels));
    }

    @Override
    public Layer relu() {
        return new FastActivationLayer(Activation.RELU);
    }

    @Override
    public String name() {
        return "fast";
    }
}
