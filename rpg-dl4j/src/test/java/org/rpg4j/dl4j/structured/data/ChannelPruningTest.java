package org.rpg4j.dl4j.structured.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.dl4j.structured.RankingScope;
import org.rpg4j.dl4j.structured.StructuredConfig;
import org.rpg4j.dl4j.structured.StructuredPruning;
import org.rpg4j.dl4j.structured.StructuredReport;
import org.rpg4j.dl4j.structured.StructuredResult;
import org.rpg4j.structured.ChannelGroup;

class ChannelPruningTest {
    /** Index of layer3's output (the refitted convolution) in {@code feedForward}'s list: input, layer0..layer6. */
    private static final int CONSUMER_OUTPUT = 4;

    @Test
    void reconstructsTheNextConvolutionBetterThanL1FilterAtTheSameChannelCount() {
        MultiLayerNetwork net = DataNets.convBnConv(5);
        DataSet train = DataNets.data(256, 1);
        DataNets.train(net, train, 32, 40);
        INDArray before = net.output(train.getFeatures()).dup();
        // layer3's own channels feed the output layer: excluded, so both methods prune only layer0's 8 channels
        StructuredConfig config = StructuredConfig.builder(0.5).exclude("layer3").inputShape(1, 8, 8).build();
        DataDrivenResult cp = ChannelPruning.prune(net, config, DataNets.iterator(train, 32), 8, 3000, 9);
        StructuredResult l1 = StructuredPruning.prune(net, config);
        assertEquals(4, channelsAfter(cp.result().report(), "layer0"));
        assertEquals(4, channelsAfter(l1.report(), "layer0"));
        assertEquals(net.output(train.getFeatures()), before, "the original network must not change");

        DataSet test = DataNets.data(128, 2);
        double cpError = relativeError(net, (MultiLayerNetwork) cp.result().network(), test);
        double l1Error = relativeError(net, (MultiLayerNetwork) l1.network(), test);
        assertTrue(cpError < l1Error, "channel pruning error " + cpError + " should be below L1-filter's " + l1Error);
        assertTrue(cpError < 0.5, "channel pruning error " + cpError);
    }

    @Test
    void reconstructsThroughTheOutputLayerAndRejectsAGlobalScope() {
        MultiLayerNetwork net = DataNets.convBnConv(5);
        DataSet data = DataNets.data(64, 3);
        DataDrivenResult cp = ChannelPruning.prune(net, StructuredConfig.builder(0.5).build(),
                DataNets.iterator(data, 32), 2, 500, 1);
        // layer3's 8 channels reach the output layer through the global pool: one row per image, refitted like a
        // dense layer's (64 rows >= 2 * (4 + 1) unknowns per output)
        assertEquals(4, channelsAfter(cp.result().report(), "layer3"));
        assertEquals(4, channelsAfter(cp.result().report(), "layer0"));
        assertTrue(cp.unscored().isEmpty(), cp.unscored().toString());
        // layer3 is refitted on layer0's kept channels and loses 4 of its own outputs: the shrunk layer3 must
        // carry the refits of the outputs it keeps (not the first 4), so its outputs stay close to the original's
        ChannelGroup layer3 = ChannelDependencies.analyse(net).groups().stream().filter(g -> g.producers().equals(
                java.util.List.of("layer3"))).findFirst().orElseThrow();
        boolean[] kept = cp.result().selection().keep(layer3);
        long[] keptOutputs = java.util.stream.IntStream.range(0, kept.length).filter(o -> kept[o]).asLongStream()
                .toArray();
        INDArray y = net.feedForward(data.getFeatures(), false).get(CONSUMER_OUTPUT).get(NDArrayIndex.all(),
                NDArrayIndex.indices(keptOutputs), NDArrayIndex.all(), NDArrayIndex.all());
        INDArray approx = ((MultiLayerNetwork) cp.result().network()).feedForward(data.getFeatures(), false).get(
                CONSUMER_OUTPUT);
        double error = Math.pow(y.sub(approx).norm2Number().doubleValue() / y.norm2Number().doubleValue(), 2);
        assertTrue(error < 0.5, "relative error of layer3's kept outputs " + error);
        assertThrows(IllegalArgumentException.class, () -> ChannelPruning.prune(net,
                StructuredConfig.builder(0.5).scope(RankingScope.GLOBAL).build(), DataNets.iterator(data, 32), 1, 10,
                1));
    }

    @Test
    void leavesAGroupReadByTwoLayersWholeAndSaysWhy() {
        // c0 conv(1->8) - relu - {c1 conv(8->4), c2 conv(8->4)} - merge - global pool - softmax(4)
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.FLOAT).updater(new Adam(0.01)).convolutionMode(ConvolutionMode.Same).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(DataNets.SIDE, DataNets.SIDE, 1))
                .addLayer("c0", new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.RELU).build(), "in")
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build(), "c0")
                .addLayer("c2", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build(), "c0")
                .addVertex("merge", new MergeVertex(), "c1", "c2")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "merge")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(DataNets.CLASSES)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").build());
        net.init();
        DataDrivenResult cp = ChannelPruning.prune(net, StructuredConfig.builder(0.5).build(),
                DataNets.iterator(DataNets.data(64, 4), 32), 2, 500, 1);
        assertEquals(8, channelsAfter(cp.result().report(), "c0"));
        assertTrue(cp.unscored().stream().anyMatch(s -> s.startsWith("c0") && s.contains("read by 2 layers")),
                cp.unscored().toString());
    }

    private static long channelsAfter(StructuredReport report, String layer) {
        return report.layers().stream().filter(r -> r.before().layer().equals(layer)).findFirst().orElseThrow()
                .after().channels();
    }

    /** {@code ||Y - Y'||^2 / ||Y||^2} of layer3's output (before its ReLU) on {@code data}. */
    static double relativeError(MultiLayerNetwork original, MultiLayerNetwork pruned, DataSet data) {
        INDArray y = original.feedForward(data.getFeatures(), false).get(CONSUMER_OUTPUT);
        INDArray approx = pruned.feedForward(data.getFeatures(), false).get(CONSUMER_OUTPUT);
        double norm = y.norm2Number().doubleValue();
        return Math.pow(y.sub(approx).norm2Number().doubleValue(), 2) / (norm * norm);
    }
}
