package org.rpg4j.dl4j.structured.data;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.TestDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The small network and synthetic data of the data-driven criteria tests. */
final class DataNets {
    static final int CLASSES = 4;
    static final int SIDE = 8;

    private DataNets() {}

    /**
     * layer0 conv3x3(1->8, identity) - layer1 BN - layer2 ReLU - layer3 conv3x3(8->8, identity) -
     * layer4 ReLU - layer5 global average pool - layer6 softmax(4); input 1x8x8, Same mode, Adam 0.01.
     */
    static MultiLayerNetwork convBnConv(long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.FLOAT).updater(new Adam(0.01)).convolutionMode(ConvolutionMode.Same).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.IDENTITY).build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(SIDE, SIDE, 1)).build());
        net.init();
        return net;
    }

    /** Images whose class sets a stripe pattern (rows, columns, checkerboard, top half), plus noise; labels one-hot. */
    static DataSet data(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(DataType.FLOAT, n, 1, SIDE, SIDE).muli(0.3);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, CLASSES);
        float[][] patterns = new float[CLASSES][SIDE * SIDE];
        for (int r = 0; r < SIDE; r++) {
            for (int q = 0; q < SIDE; q++) {
                patterns[0][r * SIDE + q] = r % 2 == 0 ? 1 : 0;
                patterns[1][r * SIDE + q] = q % 2 == 0 ? 1 : 0;
                patterns[2][r * SIDE + q] = (r + q) % 2 == 0 ? 1 : 0;
                patterns[3][r * SIDE + q] = r < SIDE / 2 ? 1 : 0;
            }
        }
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < n; i++) {
            int c = random.nextInt(CLASSES);
            y.putScalar(i, c, 1);
            x.get(NDArrayIndex.point(i)).addi(Nd4j.create(patterns[c], new long[] {1, SIDE, SIDE}, 'c'));
        }
        return new DataSet(x, y);
    }

    static DataSetIterator iterator(DataSet all, int batch) {
        return new TestDataSetIterator(all, batch);
    }

    /** Trains {@code iterations} steps on batches of {@code data}. */
    static void train(MultiLayerNetwork net, DataSet data, int batch, int iterations) {
        DataSetIterator it = iterator(data, batch);
        for (int i = 0; i < iterations; i++) {
            if (!it.hasNext()) {
                it.reset();
            }
            net.fit(it.next());
        }
    }
}
