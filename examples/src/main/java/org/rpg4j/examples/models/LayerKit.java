package org.rpg4j.examples.models;

import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Makes the convolution, batch-normalisation and ReLU layers of the example networks. Implementations
 * differ in speed, never in what they compute: square kernels, zero padding {@code (kernel - 1) / 2}
 * on each side (PyTorch's {@code padding=1} for 3x3), no bias, NCHW activations.
 */
public interface LayerKit {
    /**
     * @param nIn input channels, {@code >= 1}
     * @param nOut output channels (filters), {@code >= 1}
     * @param kernel square kernel side, odd, {@code >= 1}
     * @param stride stride in both directions, {@code >= 1}
     * @return a convolution without bias and with identity activation
     */
    Layer convolution(int nIn, int nOut, int kernel, int stride);

    /**
     * @param channels channels to normalise
     * @return a batch normalisation over channels (epsilon 1e-5, running-average decay 0.9)
     */
    Layer batchNorm(int channels);

    /** @return a ReLU activation layer */
    Layer relu();

    /** @return a short name for outputs, e.g. {@code standard} */
    String name();
}
