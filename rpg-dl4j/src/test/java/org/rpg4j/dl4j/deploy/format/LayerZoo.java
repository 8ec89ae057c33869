package org.rpg4j.dl4j.deploy.format;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Small networks holding every layer type rpg4j prunes (conv 1D and 2D, depthwise, separable,
 * deconvolution, dense, output) plus batch norm, pooling, residual adds and merges, as
 * MultiLayerNetwork and ComputationGraph configurations. 2D inputs are {@code [n, 3, 8, 8]}, 1D
 * inputs {@code [n, 3, 10]}; 3 classes.
 */
final class LayerZoo {
    static final int CLASSES = 3;

    private LayerZoo() {}

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(21).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER)
                .updater(new Adam(0.01)).convolutionMode(ConvolutionMode.Same);
    }

    /** conv - BN - depthwise - separable - max pool - deconv - BN - dense - output. */
    static MultiLayerConfiguration stack2d() {
        return base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.RELU).name("conv").build())
                .layer(new BatchNormalization.Builder().name("bn").build())
                .layer(new DepthwiseConvolution2D.Builder(3, 3).depthMultiplier(2).nOut(16).name("dw").build())
                .layer(new SeparableConvolution2D.Builder(3, 3).depthMultiplier(1).nOut(12).name("sep").build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).name("pool").build())
                .layer(new Deconvolution2D.Builder(2, 2).stride(2, 2).nOut(6).name("deconv").build())
                .layer(new BatchNormalization.Builder().name("bn2").build())
                .layer(new DenseLayer.Builder().nOut(20).activation(Activation.RELU).name("dense").build())
                .layer(output("out"))
                .setInputType(InputType.convolutional(8, 8, 3)).build();
    }

    /** conv1d - conv1d - global average pool - dense - output (DL4J has no batch norm after Convolution1DLayer). */
    static MultiLayerConfiguration stack1d() {
        return base().list()
                .layer(new Convolution1DLayer.Builder().kernelSize(3).nOut(8).activation(Activation.RELU).name("c1")
                        .build())
                .layer(new Convolution1DLayer.Builder().kernelSize(3).nOut(8).name("c2").build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("gap").build())
                .layer(new DenseLayer.Builder().nOut(10).activation(Activation.TANH).name("dense").build())
                .layer(output("out"))
                .setInputType(InputType.recurrent(3, 10)).build();
    }

    /**
     * conv - BN; then a residual add of two conv+BN branches, merged (concatenated) with a
     * depthwise - separable branch; deconv; max pool; global pool; dense; output.
     */
    static ComputationGraphConfiguration graph2d() {
        return base().graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(8, 8, 3))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.RELU).build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().build(), "conv")
                .addLayer("a", new ConvolutionLayer.Builder(3, 3).nOut(8).build(), "bn")
                .addLayer("bnA", new BatchNormalization.Builder().build(), "a")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "bnA", "bn")
                .addLayer("dw", new DepthwiseConvolution2D.Builder(3, 3).depthMultiplier(1).nOut(8).build(), "bn")
                .addLayer("sep", new SeparableConvolution2D.Builder(3, 3).nOut(8).build(), "dw")
                .addVertex("merge", new MergeVertex(), "add", "sep")
                .addLayer("deconv", new Deconvolution2D.Builder(3, 3).nOut(6).build(), "merge")
                .addLayer("pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(),
                        "deconv")
                .addLayer("dense", new DenseLayer.Builder().nOut(20).activation(Activation.TANH).build(), "pool")
                .addLayer("out", output(null), "dense")
                .setOutputs("out").build();
    }

    /** conv1d, a residual add with a second conv1d, global pool, output. */
    static ComputationGraphConfiguration graph1d() {
        return base().graphBuilder().addInputs("in").setInputTypes(InputType.recurrent(3, 10))
                .addLayer("c1", new Convolution1DLayer.Builder().kernelSize(3).nOut(8).build(), "in")
                .addLayer("c2", new Convolution1DLayer.Builder().kernelSize(3).nOut(8).build(), "c1")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "c2", "c1")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.MAX).build(), "add")
                .addLayer("out", output(null), "gap")
                .setOutputs("out").build();
    }

    private static OutputLayer output(String name) {
        OutputLayer.Builder b = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                .activation(Activation.SOFTMAX);
        return name == null ? b.build() : b.name(name).build();
    }
}
