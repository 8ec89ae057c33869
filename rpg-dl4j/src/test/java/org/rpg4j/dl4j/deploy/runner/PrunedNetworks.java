package org.rpg4j.dl4j.deploy.runner;

import java.util.Map;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.activations.Activation;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Makes initialised test networks look trained and pruned: every weight tensor ({@code W},
 * {@code pW}, ...) loses a seeded random {@code sparsity} fraction of its entries (set to exactly 0.0),
 * and every batch norm gets random running statistics and scale/shift, so that folding is exercised.
 */
final class PrunedNetworks {

    private PrunedNetworks() {
    }

    /** A seeded float32 builder with Same-mode convolutions and ReLU-friendly initialisation. */
    static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(12).dataType(DataType.FLOAT).weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same);
    }

    /**
     * Ends a test graph: global average pooling of {@code last}, then a 5-class softmax output "out".
     *
     * @return the built and initialised graph
     */
    static ComputationGraph poolAndClassify(ComputationGraphConfiguration.GraphBuilder builder, String last) {
        var conf = builder.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), last)
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(5)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /**
     * @param size input height and width
     * @return two conv-BN-ReLU layers "c0" and "c1" of 16 channels (3x3 Same, no bias) on [n, 3, size, size], then
     *     the classifier
     */
    static ComputationGraph twoConvBnRelu(int size) {
        var builder = base().graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(size, size, 3));
        builder.addLayer("c0", conv3x3(16), "in").addLayer("c0_bn", new BatchNormalization.Builder().build(), "c0")
                .addLayer("c0_relu", new ActivationLayer(Activation.RELU), "c0_bn")
                .addLayer("c1", conv3x3(16), "c0_relu").addLayer("c1_bn", new BatchNormalization.Builder().build(),
                        "c1")
                .addLayer("c1_relu", new ActivationLayer(Activation.RELU), "c1_bn");
        return poolAndClassify(builder, "c1_relu");
    }

    /**
     * @param size input height and width
     * @param maxPool true to end the block with 2x2 max pooling "max" (stride 2) before the classifier
     * @return a stem conv-BN-ReLU "c0", a basic block "c1"/"c2" (3x3 Same, 8 channels, no bias, identity shortcut
     *     added at "add", ReLU "r"), [optionally "max"], then the classifier; input [n, 3, size, size]
     */
    static ComputationGraph basicBlock(int size, boolean maxPool) {
        var builder = base().graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(size, size, 3));
        builder.addLayer("c0", conv3x3(8), "in").addLayer("c0_bn", new BatchNormalization.Builder().build(), "c0")
                .addLayer("c0_relu", new ActivationLayer(Activation.RELU), "c0_bn")
                .addLayer("c1", conv3x3(8), "c0_relu").addLayer("c1_bn", new BatchNormalization.Builder().build(), "c1")
                .addLayer("c1_relu", new ActivationLayer(Activation.RELU), "c1_bn")
                .addLayer("c2", conv3x3(8), "c1_relu").addLayer("c2_bn", new BatchNormalization.Builder().build(), "c2")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "c2_bn", "c0_relu")
                .addLayer("r", new ActivationLayer(Activation.RELU), "add");
        if (maxPool) {
            builder.addLayer("max", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(),
                    "r");
        }
        return poolAndClassify(builder, maxPool ? "max" : "r");
    }

    /** A 3x3 convolution of {@code channels} outputs, no bias, identity activation. */
    private static ConvolutionLayer conv3x3(int channels) {
        return new ConvolutionLayer.Builder(3, 3).nOut(channels).hasBias(false).activation(Activation.IDENTITY).build();
    }

    /** Stem 2->3 channels, a block of 3 with an identity shortcut, a strided block 3->5 with a 1x1 projection. */
    static ComputationGraph smallResidual() {
        ComputationGraphConfiguration.GraphBuilder builder = PrunedNetworks.base().graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(9, 7, 2));
        conv(builder, "stem", "in", 3, 1, 3, true);
        conv(builder, "b1a", "stem_out", 3, 1, 3, true);
        conv(builder, "b1b", "b1a_out", 3, 1, 3, false);
        builder.addVertex("add1", new ElementWiseVertex(ElementWiseVertex.Op.Add), "b1b_out", "stem_out")
                .addLayer("r1", new ActivationLayer(Activation.RELU), "add1");
        conv(builder, "b2a", "r1", 5, 2, 3, true);
        conv(builder, "b2b", "b2a_out", 5, 1, 3, false);
        conv(builder, "proj", "r1", 5, 2, 1, false);
        builder.addVertex("add2", new ElementWiseVertex(ElementWiseVertex.Op.Add), "b2b_out", "proj_out")
                .addLayer("r2", new ActivationLayer(Activation.RELU), "add2");
        return PrunedNetworks.poolAndClassify(builder, "r2");
    }

    /** Adds conv (no bias) and batch norm, and a ReLU layer if asked; the last vertex is {@code name + "_out"}. */
    private static void conv(ComputationGraphConfiguration.GraphBuilder builder, String name, String input,
                             int channels, int stride, int kernel, boolean relu) {
        builder.addLayer(name, new ConvolutionLayer.Builder(kernel, kernel).nOut(channels).stride(stride, stride)
                .hasBias(false).activation(Activation.IDENTITY).build(), input);
        builder.addLayer(relu ? name + "_bn" : name + "_out", new BatchNormalization.Builder().build(), name);
        if (relu) {
            builder.addLayer(name + "_out", new ActivationLayer(Activation.RELU), name + "_bn");
        }
    }

    static MultiLayerNetwork prune(MultiLayerNetwork network, double sparsity, long seed) {
        Nd4j.getRandom().setSeed(seed);
        for (Layer layer : network.getLayers()) {
            pruneLayer(layer, sparsity);
        }
        return network;
    }

    static ComputationGraph prune(ComputationGraph graph, double sparsity, long seed) {
        Nd4j.getRandom().setSeed(seed);
        for (Layer layer : graph.getLayers()) {
            pruneLayer(layer, sparsity);
        }
        return graph;
    }

    private static void pruneLayer(Layer layer, double sparsity) {
        if (layer.conf().getLayer() instanceof BatchNormalization) {
            randomStatistics(layer);
            return;
        }
        for (Map.Entry<String, INDArray> e : layer.paramTable().entrySet()) {
            if (e.getKey().toLowerCase(java.util.Locale.ROOT).contains("w")) {
                INDArray keep = Nd4j.rand(DataType.FLOAT, e.getValue().shape()).gt(sparsity).castTo(DataType.FLOAT);
                e.getValue().muli(keep);
            } else {
                e.getValue().assign(Nd4j.randn(DataType.FLOAT, e.getValue().shape()).muli(0.1));
            }
        }
    }

    private static void randomStatistics(Layer bn) {
        for (Map.Entry<String, INDArray> e : bn.paramTable().entrySet()) {
            INDArray p = e.getValue();
            switch (e.getKey()) {
                case BatchNormalizationParamInitializer.GAMMA -> p.assign(Nd4j.rand(DataType.FLOAT, p.shape()).addi(
                        0.5));
                case BatchNormalizationParamInitializer.BETA, BatchNormalizationParamInitializer.GLOBAL_MEAN ->
                    p.assign(Nd4j.randn(DataType.FLOAT, p.shape()).muli(0.3));
                case BatchNormalizationParamInitializer.GLOBAL_VAR -> p.assign(Nd4j.rand(DataType.FLOAT, p.shape())
                        .addi(0.5));
                case BatchNormalizationParamInitializer.GLOBAL_LOG_STD ->
                    p.assign(Nd4j.rand(DataType.FLOAT, p.shape()).subi(0.5).muli(0.4));
                default -> throw new IllegalStateException("unexpected batch-norm parameter " + e.getKey());
            }
        }
    }

    /** Largest |a - b| over all entries. */
    static double maxAbsDifference(INDArray a, INDArray b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            throw new AssertionError("shapes differ: " + java.util.Arrays.toString(a.shape()) + " vs "
                    + java.util.Arrays.toString(b.shape()));
        }
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }
}
