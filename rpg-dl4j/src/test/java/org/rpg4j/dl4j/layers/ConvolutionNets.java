package org.rpg4j.dl4j.layers;

import static org.rpg4j.dl4j.layers.TestArrays.inference;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The one-layer convolution networks that the tests comparing {@link FastConvolutionLayer} with DL4J's
 * {@link ConvolutionLayer} build: a {@link FastConvolutionLayerTest.Case}'s settings, the network around the layer,
 * and an inference call under a system property.
 */
final class ConvolutionNets {

    /** Input channels of every test network. */
    static final int IN_CHANNELS = 3;
    /** Output channels of {@link #configure}. */
    static final int OUT_CHANNELS = 4;

    private ConvolutionNets() {
    }

    /**
     * @param builder DL4J's or the fast layer's builder
     * @param c the case
     * @return the builder with the case's kernel, stride, padding, dilation, mode, bias and activation, and
     *     {@link #OUT_CHANNELS} outputs
     */
    static <T extends ConvolutionLayer.BaseConvBuilder<T>> T configure(T builder, FastConvolutionLayerTest.Case c) {
        return builder.kernelSize(c.kernel()).stride(c.stride()).padding(c.padding()).dilation(c.dilation())
                .convolutionMode(c.mode()).hasBias(c.bias()).nOut(OUT_CHANNELS).activation(c.activation());
    }

    /**
     * @param layer the network's only layer
     * @param height input height
     * @param width input width
     * @return an initialised float32 network (seed 1, SGD 0.1) on {@code [n, IN_CHANNELS, height, width]}
     */
    static MultiLayerNetwork network(org.deeplearning4j.nn.conf.layers.Layer layer, int height, int width) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.FLOAT).updater(new Sgd(0.1)).list().layer(layer)
                .setInputType(InputType.convolutional(height, width, IN_CHANNELS)).build());
        net.init();
        return net;
    }

    /**
     * @param property a system property the layer reads at each call
     * @param layer the layer
     * @param x its input
     * @param value the property's value during the call (cleared after it)
     * @return the layer's inference output
     */
    static INDArray inferenceWith(String property, Layer layer, INDArray x, String value) {
        System.setProperty(property, value);
        try {
            return inference(layer, x);
        } finally {
            System.clearProperty(property);
        }
    }
}
