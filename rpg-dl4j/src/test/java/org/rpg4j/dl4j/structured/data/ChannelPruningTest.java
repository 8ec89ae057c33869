package org.rpg4j.dl4j.structured.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.rpg4j.dl4j.structured.RankingScope;
import org.rpg4j.dl4j.structured.StructuredConfig;
import org.rpg4j.dl4j.structured.StructuredPruning;
import org.rpg4j.dl4j.structured.StructuredReport;
import org.rpg4j.dl4j.structured.StructuredResult;

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
    void leavesGroupsWithoutAConvolutionConsumerWholeAndSaysWhy() {
        MultiLayerNetwork net = DataNets.convBnConv(5);
        DataSet data = DataNets.data(64, 3);
        DataDrivenResult cp = ChannelPruning.prune(net, StructuredConfig.builder(0.5).build(),
                DataNets.iterator(data, 32), 2, 500, 1);
        assertEquals(8, channelsAfter(cp.result().report(), "layer3"));
        assertEquals(4, channelsAfter(cp.result().report(), "layer0"));
        assertTrue(cp.unscored().stream().anyMatch(s -> s.startsWith("layer3") && s.contains("OutputLayer")),
                cp.unscored().toString());
        assertThrows(IllegalArgumentException.class, () -> ChannelPruning.prune(net,
                StructuredConfig.builder(0.5).scope(RankingScope.GLOBAL).build(), DataNets.iterator(data, 32), 1, 10,
                1));
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
