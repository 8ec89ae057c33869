package org.rpg4j.examples.models;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A small vocabulary over DL4J's graph builder (conv-BN-ReLU units, pooling, the classifier head),
 * shared by the model builders. Every method adds vertices and returns the name of the last one.
 */
final class GraphAssembly {
    /** Name of the graph's input. */
    static final String INPUT = "input";
    /** Name of the graph's output layer. */
    static final String OUTPUT = "output";

    private final ComputationGraphConfiguration.GraphBuilder graph;
    private final NetworkSettings settings;

    GraphAssembly(NetworkSettings settings) {
        this.settings = settings;
        // He-normal initialisation (PyTorch's kaiming_normal_), coupled L2 on weights and biases;
        // DL4J never regularises batch-norm parameters.
        this.graph = new NeuralNetConfiguration.Builder().seed(settings.seed()).dataType(DataType.FLOAT)
                .updater(settings.updater()).weightInit(WeightInit.RELU).l2(settings.weightDecay())
                .l2Bias(settings.weightDecay()).convolutionMode(ConvolutionMode.Truncate).graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(settings.height(), settings.width(), settings.channels()));
    }

    /** conv(kernel, stride) then batch norm, then ReLU if {@code relu}; names {@code prefix_conv}, {@code _bn}, {@code _relu}. */
    String convBn(String prefix, String input, int nIn, int nOut, int kernel, int stride, boolean relu) {
        graph.addLayer(prefix + "_conv", settings.layers().convolution(nIn, nOut, kernel, stride), input);
        graph.addLayer(prefix + "_bn", settings.layers().batchNorm(nOut), prefix + "_conv");
        if (!relu) {
            return prefix + "_bn";
        }
        return relu(prefix + "_relu", prefix + "_bn");
    }

    String relu(String name, String input) {
        graph.addLayer(name, settings.layers().relu(), input);
        return name;
    }

    /** Max pooling with a square window {@code size} and stride {@code size}. */
    String maxPool(String name, String input, int size) {
        graph.addLayer(name, new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(size, size)
                .stride(size, size).build(), input);
        return name;
    }

    /** Global average pooling, then a softmax output layer with cross-entropy loss. */
    String classifier(String input, int nIn) {
        graph.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), input);
        return output("pool", nIn);
    }

    /** A softmax output layer (dense with bias) with multi-class cross-entropy loss. */
    String output(String input, int nIn) {
        graph.addLayer(OUTPUT, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(nIn)
                .nOut(settings.numClasses()).activation(Activation.SOFTMAX).build(), input);
        return OUTPUT;
    }

    ComputationGraphConfiguration.GraphBuilder graph() {
        return graph;
    }

    /** @return the initialised network */
    ComputationGraph build() {
        graph.setOutputs(OUTPUT);
        ComputationGraph net = new ComputationGraph(graph.build());
        net.init();
        return net;
    }
}
