package org.rpg4j.dl4j.shrink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rpg4j.dl4j.shrink.ShrinkFixtures.assertDeadRemovalExact;
import static org.rpg4j.dl4j.shrink.ShrinkFixtures.input;
import static org.rpg4j.dl4j.shrink.ShrinkFixtures.kill;
import static org.rpg4j.dl4j.shrink.ShrinkFixtures.randomiseBatchNorm;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rpg4j.dl4j.layers.FastLayers;

/** Dead-channel removal on MultiLayerNetworks: outputs unchanged, exactly the dead channels gone. */
class DeadChannelsMultiLayerTest {

    private static NeuralNetConfiguration.ListBuilder list() {
        return new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.FLOAT)
                .convolutionMode(ConvolutionMode.Truncate).list();
    }

    /** conv3x3 - BN - ReLU - dropout - conv1x1 - BN - global avg pool - softmax. */
    private static MultiLayerConfiguration convBnChain() {
        return list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new DropoutLayer.Builder(0.5).build())
                .layer(new ConvolutionLayer.Builder(1, 1).nOut(5).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(7, 7, 2)).build();
    }

    @Test
    void zeroFilterBeforeBatchNormIsFoldedIntoTheNextBias() {
        MultiLayerNetwork net = new MultiLayerNetwork(convBnChain());
        net.init();
        randomiseBatchNorm(net, "layer1", 1);
        randomiseBatchNorm(net, "layer5", 2);
        // channels 1 and 4 of the first conv: W = 0, b = 0.6 / 0.9 -> BN gives a nonzero constant -> ReLU
        kill(net, "layer0", "W", 0, false, 1, 4);
        // channel 2 of the second conv: constant into global pooling and the dense output layer
        kill(net, "layer4", "W", 0, false, 2);
        MultiLayerNetwork shrunk = (MultiLayerNetwork) assertDeadRemovalExact(net, input(3, 4, 2, 7, 7), 3);
        assertEquals(4, shrunk.getLayer("layer0").getParam("W").size(0));
        assertEquals(4, shrunk.getLayer("layer1").getParam("mean").size(0));
        assertEquals(4, shrunk.getLayer("layer5").getParam("mean").size(0));
        assertEquals(4, shrunk.getLayer("layer7").getParam("W").size(0));
    }

    @Test
    void fastLayersShrinkLikeDl4jLayers() {
        MultiLayerNetwork net = new MultiLayerNetwork(FastLayers.withFastLayers(convBnChain()));
        net.init();
        randomiseBatchNorm(net, "layer1", 4);
        randomiseBatchNorm(net, "layer5", 5);
        kill(net, "layer0", "W", 0, false, 0, 5);
        assertDeadRemovalExact(net, input(6, 3, 2, 7, 7), 2);
    }

    @Test
    void flattenMapsEachChannelToItsBlockOfDenseInputs() {
        MultiLayerNetwork net = new MultiLayerNetwork(list()
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(5).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nOut(6).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(4, 3, 1)).build());
        net.init();
        randomiseBatchNorm(net, "layer1", 7);
        // conv channels 0 and 3 become constants; the dense layer reads each as a 3x2 block
        kill(net, "layer0", "W", 0, false, 0, 3);
        // dense unit 4: W column zero, bias 0.9 -> relu 0.9 -> folded into the output bias
        kill(net, "layer2", "W", 1, false, 4);
        MultiLayerNetwork shrunk = (MultiLayerNetwork) assertDeadRemovalExact(net, input(8, 5, 1, 4, 3), 3);
        assertEquals(3 * 3 * 2, shrunk.getLayer("layer2").getParam("W").size(0));
    }
}
