package org.rpg4j.dl4j.layers;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Tiny networks built from DL4J's standard layers (convert with {@link FastLayers}) and seeded
 * data for them: a residual block as a ComputationGraph and a plain stack as a MultiLayerNetwork.
 */
final class TinyNetworks {

    static final int CHANNELS = 2;
    static final int SIZE = 6;
    static final int CLASSES = 3;

    private TinyNetworks() {
    }

    /**
     * conv3x3 - BN - act - {conv1x1/2 - BN (projection), conv3x3/2 - BN} - add - act - conv3x3 (bias)
     * - global average pool - softmax; input {@code [n, 2, 6, 6]}, {@code width} channels inside.
     * Vertices are added in DL4J's topological order, so that the parameter table and the flat
     * parameter vector list parameters in the same order (GradientCheckUtil names them by the
     * former and perturbs the latter).
     */
    static ComputationGraphConfiguration residualGraph(WorkspaceMode workspaces, DataType dataType,
                                                       IUpdater updater, Activation activation, int width) {
        return base(workspaces, dataType, updater).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(SIZE, SIZE, CHANNELS))
                .addLayer("c1", conv(3, 1, width, false), "in")
                .addLayer("b1", new BatchNormalization.Builder().build(), "c1")
                .addLayer("a1", new ActivationLayer(activation), "b1")
                .addLayer("proj", conv(1, 2, width, false), "a1")
                .addLayer("c2", conv(3, 2, width, false), "a1")
                .addLayer("bproj", new BatchNormalization.Builder().build(), "proj")
                .addLayer("b2", new BatchNormalization.Builder().useLogStd(false).build(), "c2")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "b2", "bproj")
                .addLayer("a2", new ActivationLayer(activation), "add")
                .addLayer("c3", conv(3, 1, width, true), "a2")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "c3")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").build();
    }

    /**
     * conv3x3 - BN(b1) - act - conv3x3 - BN(b2) - add(b2, b1) - act - conv3x3 (bias) - global
     * average pool - softmax: an identity shortcut from b1, which also feeds the branch that leads
     * to b2 (the case where {@link FastElementWiseVertexImpl} shares one gradient copy between
     * inputs that have other consumers). With {@code sideBranch}, b1 also feeds conv1x1 - BN(b4),
     * which joins after the add ({@code add2(add, b4)}): b1's gradient then gets an addition from a
     * vertex that is not an ancestor of b2, and the first add must copy once per input.
     */
    static ComputationGraphConfiguration identityBlockGraph(WorkspaceMode workspaces, DataType dataType,
                                                            IUpdater updater, Activation activation, int width,
                                                            boolean sideBranch) {
        ComputationGraphConfiguration.GraphBuilder g = base(workspaces, dataType, updater).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(SIZE, SIZE, CHANNELS))
                .addLayer("c1", conv(3, 1, width, false), "in")
                .addLayer("b1", new BatchNormalization.Builder().build(), "c1")
                .addLayer("a1", new ActivationLayer(activation), "b1")
                .addLayer("c2", conv(3, 1, width, false), "a1")
                .addLayer("b2", new BatchNormalization.Builder().build(), "c2")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "b2", "b1");
        String joined = "add";
        if (sideBranch) {
            g.addLayer("c4", conv(1, 1, width, false), "b1")
                    .addLayer("b4", new BatchNormalization.Builder().build(), "c4")
                    .addVertex("add2", new ElementWiseVertex(ElementWiseVertex.Op.Add), "add", "b4");
            joined = "add2";
        }
        return g.addLayer("a2", new ActivationLayer(activation), joined)
                .addLayer("c3", conv(3, 1, width, true), "a2")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "c3")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").build();
    }

    /**
     * conv3x3 (bias, act) - BN - act - conv3x3/2 - BN - act - dense softmax; input
     * {@code [n, 2, 6, 6]}, {@code width} channels inside. The first convolution applies the
     * activation itself, so its backward pass goes through the activation's derivative.
     */
    static MultiLayerConfiguration stack(WorkspaceMode workspaces, DataType dataType, IUpdater updater,
                                         Activation activation, int width) {
        return base(workspaces, dataType, updater).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(width).activation(activation).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer(activation))
                .layer(conv(3, 2, width, false))
                .layer(new BatchNormalization.Builder().useLogStd(false).build())
                .layer(new ActivationLayer(activation))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(SIZE, SIZE, CHANNELS)).build();
    }

    /**
     * @param seed RNG seed
     * @param batch examples
     * @param dataType features' type
     * @return features {@code [batch, 2, 6, 6]} ~ N(0.5, 1) and one-hot labels {@code [batch, 3]}
     */
    static DataSet data(long seed, int batch, DataType dataType) {
        Nd4j.getRandom().setSeed(seed);
        INDArray features = Nd4j.randn(dataType, batch, CHANNELS, SIZE, SIZE).addi(0.5);
        INDArray labels = Nd4j.zeros(dataType, batch, CLASSES);
        for (int i = 0; i < batch; i++) {
            labels.putScalar(i, (i * 7 + seed) % CLASSES, 1.0);
        }
        return new DataSet(features, labels);
    }

    private static NeuralNetConfiguration.Builder base(WorkspaceMode workspaces, DataType dataType,
                                                       IUpdater updater) {
        return new NeuralNetConfiguration.Builder().seed(5).dataType(dataType).updater(updater)
                .weightInit(WeightInit.XAVIER).convolutionMode(ConvolutionMode.Same)
                .trainingWorkspaceMode(workspaces).inferenceWorkspaceMode(workspaces);
    }

    private static ConvolutionLayer conv(int kernel, int stride, int nOut, boolean bias) {
        return new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).nOut(nOut).hasBias(bias)
                .activation(Activation.IDENTITY).build();
    }
}
