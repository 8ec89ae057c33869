package org.rpg4j.dl4j;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Tiny networks and seeded data for the adapter tests. */
final class Nets {
    static final int CHANNELS = 2;
    static final int SIZE = 6;
    static final int CLASSES = 3;

    /** How weight regularization is configured on the tiny networks. */
    enum Decay {
        NONE, L2, WEIGHT_DECAY;

        NeuralNetConfiguration.Builder apply(NeuralNetConfiguration.Builder b) {
            return switch (this) {
                case NONE -> b;
                case L2 -> b.l2(1e-3);
                case WEIGHT_DECAY -> b.weightDecay(1e-3);
            };
        }
    }

    /** The two DL4J network types. */
    enum Kind { MLN, GRAPH }

    private Nets() {}

    static NeuralNetConfiguration.Builder base(IUpdater updater, Decay decay) {
        return decay.apply(new NeuralNetConfiguration.Builder().seed(12345).dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER).updater(updater));
    }

    /** conv 3x3 (2 to 6 channels), batch norm (optional), dense 12, softmax output 3; input 2x6x6. */
    static Model small(Kind kind, IUpdater updater, Decay decay, boolean batchNorm) {
        return kind == Kind.MLN ? smallMln(updater, decay, batchNorm) : smallGraph(updater, decay, batchNorm);
    }

    static MultiLayerNetwork smallMln(IUpdater updater, Decay decay, boolean batchNorm) {
        NeuralNetConfiguration.ListBuilder list = base(updater, decay).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.RELU).name("conv").build());
        if (batchNorm) {
            list.layer(new BatchNormalization.Builder().name("bn").build());
        }
        MultiLayerConfiguration conf = list
                .layer(new DenseLayer.Builder().nOut(12).activation(Activation.RELU).name("dense").build())
                .layer(output())
                .setInputType(InputType.convolutional(SIZE, SIZE, CHANNELS)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static ComputationGraph smallGraph(IUpdater updater, Decay decay, boolean batchNorm) {
        ComputationGraphConfiguration.GraphBuilder g = base(updater, decay).graphBuilder().addInputs("in")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.RELU).build(), "in");
        String last = "conv";
        if (batchNorm) {
            g.addLayer("bn", new BatchNormalization.Builder().build(), "conv");
            last = "bn";
        }
        g.addLayer("dense", new DenseLayer.Builder().nOut(12).activation(Activation.RELU).build(), last)
                .addLayer("out", output(), "dense").setOutputs("out")
                .setInputTypes(InputType.convolutional(SIZE, SIZE, CHANNELS));
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    static OutputLayer output() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES).activation(Activation.SOFTMAX)
                .name("out").build();
    }

    /** @return {@code count} seeded batches of {@code batch} examples of shape {@code [channels, h, w]} */
    static List<DataSet> data(int count, int batch, long seed, long... exampleShape) {
        Nd4j.getRandom().setSeed(seed);
        List<DataSet> out = new ArrayList<>();
        long[] shape = new long[exampleShape.length + 1];
        shape[0] = batch;
        System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
        for (int i = 0; i < count; i++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, shape).subi(0.5);
            INDArray y = Nd4j.zeros(DataType.FLOAT, batch, CLASSES);
            for (int j = 0; j < batch; j++) {
                y.putScalar(j, (i * 7 + j * 3) % CLASSES, 1.0);
            }
            out.add(new DataSet(x, y));
        }
        return out;
    }

    static List<DataSet> data(int count, int batch, long seed) {
        return data(count, batch, seed, CHANNELS, SIZE, SIZE);
    }

    /** Fits one batch on either network type. */
    static void fit(Model net, DataSet batch) {
        if (net instanceof MultiLayerNetwork m) {
            m.fit(batch);
        } else {
            ((ComputationGraph) net).fit(batch);
        }
    }
}
