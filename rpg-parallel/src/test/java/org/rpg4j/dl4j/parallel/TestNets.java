package org.rpg4j.dl4j.parallel;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Tiny networks (a CNN and a residual graph) and seeded synthetic data for the ParallelWrapper tests. */
final class TestNets {
    static final int CHANNELS = 2;
    static final int SIZE = 6;
    static final int CLASSES = 3;

    /** The two test architectures. */
    enum Kind { CNN, RESNET }

    private TestNets() {}

    static Model build(Kind kind) {
        return kind == Kind.CNN ? cnn() : resnet();
    }

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(12345).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER)
                .updater(new Adam(1e-2));
    }

    /** conv 3x3 (2 to 8), conv 3x3 (8 to 8), dense 16, softmax 3; input 2x6x6. */
    static MultiLayerNetwork cnn() {
        MultiLayerConfiguration conf = base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.RELU).name("conv1").build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.RELU).name("conv2").build())
                .layer(new DenseLayer.Builder().nOut(16).activation(Activation.RELU).name("dense").build())
                .layer(output()).setInputType(InputType.convolutional(SIZE, SIZE, CHANNELS)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** stem conv-bn-relu (8), one residual block (conv-bn-relu, conv-bn, add, relu), global pool, softmax 3. */
    static ComputationGraph resnet() {
        ComputationGraphConfiguration.GraphBuilder g = base().graphBuilder().addInputs("in")
                .addLayer("stem", conv(), "in").addLayer("stem_bn", new BatchNormalization.Builder().build(), "stem")
                .addLayer("stem_relu", relu(), "stem_bn")
                .addLayer("b_conv1", conv(), "stem_relu").addLayer("b_bn1", new BatchNormalization.Builder().build(),
                        "b_conv1")
                .addLayer("b_relu1", relu(), "b_bn1")
                .addLayer("b_conv2", conv(), "b_relu1").addLayer("b_bn2", new BatchNormalization.Builder().build(),
                        "b_conv2")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "b_bn2", "stem_relu")
                .addLayer("add_relu", relu(), "add")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "add_relu")
                .addLayer("out", output(), "pool").setOutputs("out")
                .setInputTypes(InputType.convolutional(SIZE, SIZE, CHANNELS));
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    private static ConvolutionLayer conv() {
        return new ConvolutionLayer.Builder(3, 3).nOut(8).padding(1, 1).activation(Activation.IDENTITY).build();
    }

    private static ActivationLayer relu() {
        return new ActivationLayer.Builder().activation(Activation.RELU).build();
    }

    private static OutputLayer output() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES).activation(Activation.SOFTMAX)
                .name("out").build();
    }

    /** @return {@code count} seeded batches of {@code batch} examples (a learnable rule: class = argmax of channel sums) */
    static List<DataSet> data(int count, int batch, long seed) {
        Nd4j.getRandom().setSeed(seed);
        List<DataSet> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, batch, CHANNELS, SIZE, SIZE).subi(0.5);
            INDArray y = Nd4j.zeros(DataType.FLOAT, batch, CLASSES);
            for (int j = 0; j < batch; j++) {
                double s = x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(j)).sumNumber().doubleValue();
                y.putScalar(j, s < -0.5 ? 0 : s < 0.5 ? 1 : 2, 1.0);
            }
            out.add(new DataSet(x, y));
        }
        return out;
    }

    /** @return an iterator handing out the batches in order, one per {@code next()} */
    static DataSetIterator iterator(List<DataSet> batches) {
        return new ListDataSetIterator<>(batches, 1);
    }
}
