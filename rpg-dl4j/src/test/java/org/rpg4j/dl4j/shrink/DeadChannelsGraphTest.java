package org.rpg4j.dl4j.shrink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rpg4j.dl4j.shrink.ShrinkFixtures.assertDeadRemovalExact;
import static org.rpg4j.dl4j.shrink.ShrinkFixtures.input;
import static org.rpg4j.dl4j.shrink.ShrinkFixtures.kill;
import static org.rpg4j.dl4j.shrink.ShrinkFixtures.randomiseBatchNorm;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Dead-channel removal across graph vertices and the less common convolution layers. */
class DeadChannelsGraphTest {

    private static GraphBuilder graph(int h, int w, int c) {
        return new NeuralNetConfiguration.Builder().seed(11).dataType(DataType.FLOAT)
                .convolutionMode(ConvolutionMode.Truncate).activation(Activation.IDENTITY).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(h, w, c));
    }

    private static ConvolutionLayer conv(int k, int nOut, int pad) {
        return new ConvolutionLayer.Builder(k, k).nOut(nOut).padding(pad, pad).build();
    }

    private static ComputationGraph head(GraphBuilder g, String input) {
        g.addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), input)
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "gap")
                .setOutputs("out");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    @Test
    void elementWiseAddJoinsBothBranches() {
        GraphBuilder g = graph(6, 6, 2)
                .addLayer("stem", conv(3, 4, 1), "in")
                .addLayer("relu0", new ActivationLayer.Builder().activation(Activation.RELU).build(), "stem")
                .addLayer("c1", conv(3, 4, 1), "relu0")
                .addLayer("bn1", new BatchNormalization.Builder().build(), "c1")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "bn1", "relu0")
                .addLayer("relu1", new ActivationLayer.Builder().activation(Activation.RELU).build(), "add")
                .addLayer("c2", conv(1, 5, 0), "relu1");
        ComputationGraph net = head(g, "c2");
        randomiseBatchNorm(net, "bn1", 1);
        // channel 2: stem gives exactly 0 (read by the padded c1: exact), c1 gives a BN constant; 0 + k -> ReLU -> c2 (1x1) folds it
        kill(net, "stem", "W", 0, true, 2);
        kill(net, "c1", "W", 0, false, 2);
        // channel 3: only c1 is dead, the stem still feeds the sum: not removable
        kill(net, "c1", "W", 0, false, 3);
        ComputationGraph shrunk = (ComputationGraph) assertDeadRemovalExact(net, input(2, 3, 2, 6, 6), 1);
        assertEquals(3, shrunk.getLayer("stem").getParam("W").size(0));
        assertEquals(3, shrunk.getLayer("c1").getParam("W").size(1));
        assertEquals(3, shrunk.getLayer("c2").getParam("W").size(1));
    }

    @Test
    void mergeVertexOffsetsTheSecondInput() {
        GraphBuilder g = graph(5, 5, 2)
                .addLayer("a", conv(1, 3, 0), "in")
                .addLayer("b", conv(3, 4, 1), "in")
                .addLayer("bnb", new BatchNormalization.Builder().build(), "b")
                .addVertex("cat", new MergeVertex(), "a", "bnb")
                .addLayer("c", conv(1, 5, 0), "cat");
        ComputationGraph net = head(g, "c");
        randomiseBatchNorm(net, "bnb", 3);
        kill(net, "a", "W", 0, false, 0);
        kill(net, "b", "W", 0, false, 1, 3);
        ComputationGraph shrunk = (ComputationGraph) assertDeadRemovalExact(net, input(4, 2, 2, 5, 5), 3);
        assertEquals(2 + 2, shrunk.getLayer("c").getParam("W").size(1));
    }

    @Test
    void optionAShortcutKeepsItsZeroHalfAligned() {
        // the examples' option A: x[:, :, ::2, ::2] concatenated with zeros, added to a block of twice the channels
        GraphBuilder g = graph(8, 8, 2)
                .addLayer("stem", conv(3, 3, 1), "in")
                .addLayer("bn0", new BatchNormalization.Builder().build(), "stem")
                .addLayer("relu0", new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn0")
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).stride(2, 2).padding(1, 1).nOut(6).build(), "relu0")
                .addLayer("bn1", new BatchNormalization.Builder().build(), "c1")
                .addLayer("sub", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(1, 1).stride(2, 2).build(),
                        "relu0")
                .addVertex("zeros", new ScaleVertex(0.0), "sub")
                .addVertex("pad", new MergeVertex(), "sub", "zeros")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "bn1", "pad")
                .addLayer("relu1", new ActivationLayer.Builder().activation(Activation.RELU).build(), "add")
                .addLayer("c2", conv(1, 4, 0), "relu1");
        ComputationGraph net = head(g, "c2");
        randomiseBatchNorm(net, "bn0", 5);
        randomiseBatchNorm(net, "bn1", 6);
        // stem channel 1 (a BN constant through ReLU: read by padded c1, so only removable if it is 0);
        // make it exactly 0: beta - gamma * mean / std <= 0 is not guaranteed, so zero gamma and beta
        kill(net, "stem", "W", 0, true, 1);
        net.getLayer("bn0").getParam("gamma").putScalar(1, 0.0);
        net.getLayer("bn0").getParam("beta").putScalar(1, 0.0);
        // c1 channels 1 and 4 (= 1 + 3, its copy in the zero half) must be dead as well
        kill(net, "c1", "W", 0, false, 1, 4);
        ComputationGraph shrunk = (ComputationGraph) assertDeadRemovalExact(net, input(7, 2, 2, 8, 8), 1);
        assertEquals(4, shrunk.getLayer("c1").getParam("W").size(0));
        assertEquals(2, shrunk.getLayer("c1").getParam("W").size(1));
    }

    @Test
    void depthwiseChannelsFollowTheirInputWithTheMultiplier() {
        GraphBuilder g = graph(6, 6, 2)
                .addLayer("a", conv(1, 3, 0), "in")
                .addLayer("dw", new DepthwiseConvolution2D.Builder().kernelSize(3, 3).depthMultiplier(2).build(), "a")
                .addLayer("c", conv(1, 4, 0), "dw");
        ComputationGraph net = head(g, "c");
        // a's channel 1 outputs 0; the depthwise outputs 2 and 3 are then its bias: folded into c
        kill(net, "a", "W", 0, true, 1);
        net.getLayer("dw").getParam("b").putScalar(2, 0.3);
        net.getLayer("dw").getParam("b").putScalar(3, -0.2);
        // the input channel 1 is only 0 after 'a' if the depthwise weights do not matter: they see 0 everywhere,
        // but the depthwise output is read as 'bias' only if its weights are zero; zero them for channel 1
        net.getLayer("dw").getParam("W").get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(1),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).assign(0.0);
        ComputationGraph shrunk = (ComputationGraph) assertDeadRemovalExact(net, input(8, 3, 2, 6, 6), 1);
        assertEquals(2, shrunk.getLayer("dw").getParam("W").size(2));
        assertEquals(4, shrunk.getLayer("c").getParam("W").size(1));
    }

    @Test
    void separableConvolutionReadsInputChannelsInBlocksOfTheMultiplier() {
        GraphBuilder g = graph(6, 6, 2)
                .addLayer("a", conv(1, 4, 0), "in")
                .addLayer("sep", new SeparableConvolution2D.Builder(3, 3).depthMultiplier(2).nOut(5).build(), "a")
                .addLayer("bn", new BatchNormalization.Builder().build(), "sep")
                .addLayer("c", conv(1, 3, 0), "bn");
        ComputationGraph net = head(g, "c");
        randomiseBatchNorm(net, "bn", 9);
        kill(net, "a", "W", 0, true, 0, 2);
        // separable output channel 3: pointwise row zero -> bias -> BN constant -> folded into c
        kill(net, "sep", "pW", 0, false, 3);
        ComputationGraph shrunk = (ComputationGraph) assertDeadRemovalExact(net, input(9, 3, 2, 6, 6), 3);
        assertEquals(2 * 2, shrunk.getLayer("sep").getParam("pW").size(1));
    }

    @Test
    void deconvolutionReadsAndWritesChannels() {
        GraphBuilder g = graph(4, 4, 2)
                .addLayer("a", conv(1, 4, 0), "in")
                .addLayer("up", new Deconvolution2D.Builder().kernelSize(2, 2).stride(2, 2).nOut(5).build(), "a")
                .addLayer("c", conv(1, 3, 0), "up");
        ComputationGraph net = head(g, "c");
        kill(net, "a", "W", 0, true, 3);
        kill(net, "up", "W", 1, false, 0, 4);
        ComputationGraph shrunk = (ComputationGraph) assertDeadRemovalExact(net, input(10, 2, 2, 4, 4), 3);
        assertEquals(3, shrunk.getLayer("up").getParam("W").size(0));
        assertEquals(3, shrunk.getLayer("up").getParam("W").size(1));
    }

    @Test
    void poolingUpsamplingPaddingAndCroppingPassChannels() {
        GraphBuilder g = graph(8, 8, 2)
                .addLayer("a", conv(3, 4, 1), "in")
                .addLayer("pool", new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build(),
                        "a")
                .addLayer("up", new Upsampling2D.Builder(2).build(), "pool")
                .addLayer("zp", new ZeroPaddingLayer.Builder(1, 1).build(), "up")
                .addLayer("crop", new Cropping2D.Builder(1, 1).build(), "zp")
                .addLayer("c", conv(3, 3, 0), "crop");
        ComputationGraph net = head(g, "c");
        // channel 1: exactly zero, passes the zero padding; channel 2: constant 0.7, through padding not constant
        kill(net, "a", "W", 0, true, 1);
        kill(net, "a", "W", 0, false, 2);
        ComputationGraph shrunk = (ComputationGraph) assertDeadRemovalExact(net, input(11, 2, 2, 8, 8), 1);
        assertEquals(3, shrunk.getLayer("c").getParam("W").size(1));
    }
}
