package org.rpg4j.benchmarks.training;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.activations.Activation;
import org.rpg4j.dl4j.layers.FastConvolutionLayer;

/**
 * {@link LayerPassBenchmark} of a ResNet-20 3x3 convolution (stride 1, Same mode, no bias, as many
 * output as input channels): DL4J's ConvolutionLayer against FastConvolutionLayer.
 */
public class ConvolutionLayerBenchmark extends LayerPassBenchmark {

    @Override
    protected ConvolutionLayer configuration(int channels, boolean fast) {
        ConvolutionLayer.BaseConvBuilder<?> builder = fast ? new FastConvolutionLayer.Builder(3, 3)
                : new ConvolutionLayer.Builder(3, 3);
        return (ConvolutionLayer) builder.nOut(channels).hasBias(false).convolutionMode(ConvolutionMode.Same)
                .activation(Activation.IDENTITY).build();
    }
}
