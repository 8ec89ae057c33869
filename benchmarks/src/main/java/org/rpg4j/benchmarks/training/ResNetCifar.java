package org.rpg4j.benchmarks.training;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rpg4j.dl4j.layers.FastActivationLayer;
import org.rpg4j.dl4j.layers.FastBatchNormalization;
import org.rpg4j.dl4j.layers.FastConvolutionLayer;

/**
 * CIFAR ResNets (He et al., "Deep Residual Learning for Image Recognition", CVPR 2016, section
 * 4.2) as ComputationGraphs: a 3x3 convolution with 16 channels, three stages of {@code n} basic
 * blocks with 16, 32 and 64 channels (conv3x3 - BN - ReLU - conv3x3 - BN, plus the identity, or a
 * 1x1 convolution + BN projection where a stage starts with stride 2), global average pooling and
 * a 10-way softmax. {@code n = 3} is ResNet-20 (0.27M parameters, 21 convolutions).
 * Input {@code [batch, 3, 32, 32]}; convolutions have no bias; Nesterov momentum 0.9, L2 5e-4.
 */
public final class ResNetCifar {

    /** Which implementation the convolutions and batch norms use. */
    public enum Layers {
        /** DL4J's ConvolutionLayer and BatchNormalization. */
        STANDARD,
        /** FastConvolutionLayer; DL4J's BatchNormalization and ActivationLayer. */
        FAST_CONVOLUTION,
        /** FastConvolutionLayer and FastBatchNormalization; DL4J's ActivationLayer. */
        FAST_CONVOLUTION_BATCHNORM,
        /** FastConvolutionLayer, FastBatchNormalization and FastActivationLayer. */
        FAST
    }

    private static final int[] STAGE_CHANNELS = {16, 32, 64};
    private static final int CLASSES = 10;

    private ResNetCifar() {
    }

    /**
     * @param layers which layer implementations to use
     * @param learningRate Nesterov learning rate
     * @param seed weight-initialisation seed
     * @return ResNet-20
     */
    public static ComputationGraphConfiguration resnet20(Layers layers, double learningRate, long seed) {
        return resnet(3, layers, learningRate, seed);
    }

    /**
     * @param blocksPerStage n, &ge; 1: depth 6n + 2
     * @param layers which layer implementations to use
     * @param learningRate Nesterov learning rate, &gt; 0
     * @param seed weight-initialisation seed
     * @return the network configuration
     * @throws IllegalArgumentException if {@code blocksPerStage < 1} or the learning rate is not positive
     */
    public static ComputationGraphConfiguration resnet(int blocksPerStage, Layers layers, double learningRate,
                                                       long seed) {
        if (blocksPerStage < 1) {
            throw new IllegalArgumentException("blocksPerStage must be >= 1, got " + blocksPerStage);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
        }
        ComputationGraphConfiguration.GraphBuilder graph = new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.FLOAT).updater(new Nesterovs(learningRate, 0.9)).l2(5e-4)
                .weightInit(WeightInit.RELU).convolutionMode(ConvolutionMode.Same)
                .graphBuilder().addInputs("input").setInputTypes(InputType.convolutional(32, 32, 3));
        String previous = convBnRelu(graph, layers, "stem", "input", STAGE_CHANNELS[0], 3, 1);
        for (int stage = 0; stage < STAGE_CHANNELS.length; stage++) {
            for (int block = 0; block < blocksPerStage; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                previous = basicBlock(graph, layers, "s" + stage + "b" + block, previous, STAGE_CHANNELS[stage],
                        stride);
            }
        }
        graph.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), previous)
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), "pool")
                .setOutputs("output");
        return graph.build();
    }

    private static String basicBlock(ComputationGraphConfiguration.GraphBuilder graph, Layers layers, String name,
                                     String input, int channels, int stride) {
        String first = convBnRelu(graph, layers, name + "_1", input, channels, 3, stride);
        String second = convBn(graph, layers, name + "_2", first, channels, 3, 1);
        String shortcut = stride == 1 ? input : convBn(graph, layers, name + "_proj", input, channels, 1, stride);
        graph.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), second, shortcut)
                .addLayer(name + "_relu", relu(layers), name + "_add");
        return name + "_relu";
    }

    private static String convBnRelu(ComputationGraphConfiguration.GraphBuilder graph, Layers layers, String name,
                                     String input, int channels, int kernel, int stride) {
        String bn = convBn(graph, layers, name, input, channels, kernel, stride);
        graph.addLayer(name + "_relu", relu(layers), bn);
        return name + "_relu";
    }

    private static String convBn(ComputationGraphConfiguration.GraphBuilder graph, Layers layers, String name,
                                 String input, int channels, int kernel, int stride) {
        graph.addLayer(name + "_conv", convolution(layers, channels, kernel, stride), input)
                .addLayer(name + "_bn", batchNorm(layers), name + "_conv");
        return name + "_bn";
    }

    private static Layer convolution(Layers layers, int channels, int kernel, int stride) {
        if (layers == Layers.STANDARD) {
            return new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).nOut(channels)
                    .hasBias(false).activation(Activation.IDENTITY).build();
        }
        return new FastConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).nOut(channels)
                .hasBias(false).activation(Activation.IDENTITY).build();
    }

    private static Layer batchNorm(Layers layers) {
        return layers == Layers.FAST || layers == Layers.FAST_CONVOLUTION_BATCHNORM
                ? new FastBatchNormalization.Builder().build() : new BatchNormalization.Builder().build();
    }

    private static Layer relu(Layers layers) {
        return layers == Layers.FAST ? new FastActivationLayer(Activation.RELU) : new ActivationLayer(Activation.RELU);
    }
}
