package org.rpg4j.dl4j.distill;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
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
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small seeded networks and data for the distillation tests. */
final class DistillNets {
    static final int SIDE = 6;
    static final int CHANNELS = 2;

    private DistillNets() {}

    /** dense inputs -> hidden (tanh) -> softmax output of {@code classes}; MCXENT. */
    static MultiLayerNetwork mlp(long seed, int inputs, int hidden, int classes) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER).updater(new Adam(0.01)).list()
                .layer(new DenseLayer.Builder().nIn(inputs).nOut(hidden).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden).nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** conv 3x3 (2 to 6 channels) -> dense 12 -> softmax 3, input 2x6x6, as a MultiLayerNetwork or a graph. */
    static Model conv(boolean graph, long seed) {
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER).updater(new Adam(0.01));
        ConvolutionLayer conv = new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.RELU).build();
        DenseLayer dense = new DenseLayer.Builder().nOut(12).activation(Activation.RELU).build();
        OutputLayer out = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                .activation(Activation.SOFTMAX).build();
        if (!graph) {
            MultiLayerConfiguration conf = base.list().layer(conv).layer(dense).layer(out)
                    .setInputType(InputType.convolutional(SIDE, SIDE, CHANNELS)).build();
            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init();
            return net;
        }
        ComputationGraphConfiguration conf = base.graphBuilder().addInputs("in").addLayer("conv", conv, "in")
                .addLayer("dense", dense, "conv").addLayer("out", out, "dense").setOutputs("out")
                .setInputTypes(InputType.convolutional(SIDE, SIDE, CHANNELS)).build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    /** @return seeded batches of {@code [batch, 2, 6, 6]} inputs with one-hot labels over 3 classes */
    static List<DataSet> images(int count, int batch, long seed) {
        Nd4j.getRandom().setSeed(seed);
        List<DataSet> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, batch, CHANNELS, SIDE, SIDE).subi(0.5);
            INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 3);
            for (int j = 0; j < batch; j++) {
                y.putScalar(j, (i * 7 + j * 3) % 3, 1.0);
            }
            out.add(new DataSet(x, y));
        }
        return out;
    }

    /** Fits one batch on either network type. */
    static void fit(Model net, DataSet batch) {
        if (net instanceof MultiLayerNetwork m) {
            m.fit(batch);
        } else {
            ((ComputationGraph) net).fit(batch);
        }
    }

    /** @return the network's output for one input on either network type (inference mode) */
    static INDArray output(Model net, INDArray x) {
        return net instanceof MultiLayerNetwork m ? m.output(x, false) : ((ComputationGraph) net).outputSingle(false,
                x);
    }
}
