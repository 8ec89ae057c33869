package org.rpg4j.dl4j.activations;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.TestDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rpg4j.structured.FeatureMapRank;

class ActivationCollectorTest {
    private static MultiLayerNetwork net() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.FLOAT).convolutionMode(ConvolutionMode.Same).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(6, 6, 1)).build());
        net.init();
        return net;
    }

    @Test
    void statisticsEqualADirectComputationOverTheBatchesRead() {
        MultiLayerNetwork net = net();
        Nd4j.getRandom().setSeed(2);
        DataSet all = new DataSet(Nd4j.randn(DataType.FLOAT, 40, 1, 6, 6), Nd4j.zeros(DataType.FLOAT, 40, 2));
        ActivationStatistics s = ActivationCollector.builder(3)
                .statistic(ChannelStatistic.MEAN_ACTIVATION, "layer0", "layer1")
                .statistic(ChannelStatistic.FEATURE_MAP_RANK, "layer0")
                .build().collect(net, new TestDataSetIterator(all, 10));
        assertEquals(3, s.batches(), "reads at most maxBatches of the 4 available");
        assertEquals(30, s.images());
        // direct: the first 30 images in one pass; mean over images and positions, ranks per map
        INDArray first = all.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 30));
        List<INDArray> acts = net.feedForward(first, false);
        assertArrayEquals(acts.get(1).mean(0, 2, 3).castTo(DataType.DOUBLE).toDoubleVector(),
                s.of("layer0", ChannelStatistic.MEAN_ACTIVATION).orElseThrow(), 1e-5);
        assertArrayEquals(acts.get(2).mean(0).castTo(DataType.DOUBLE).toDoubleVector(),
                s.of("layer1", ChannelStatistic.MEAN_ACTIVATION).orElseThrow(), 1e-5);
        double[] ranks = FeatureMapRank.rankSums(acts.get(1));
        for (int c = 0; c < ranks.length; c++) {
            ranks[c] /= 30;
        }
        assertArrayEquals(ranks, s.of("layer0", ChannelStatistic.FEATURE_MAP_RANK).orElseThrow(), 1e-12);
        assertTrue(s.of("layer1", ChannelStatistic.FEATURE_MAP_RANK).isEmpty());
        assertEquals(8L * (4 + 4 + 4), s.retainedBytes());
    }

    @Test
    void rejectsWhatItCannotMeasure() {
        MultiLayerNetwork net = net();
        DataSet all = new DataSet(Nd4j.randn(DataType.FLOAT, 4, 1, 6, 6), Nd4j.zeros(DataType.FLOAT, 4, 2));
        assertThrows(IllegalArgumentException.class, () -> ActivationCollector.builder(1)
                .statistic(ChannelStatistic.FEATURE_MAP_RANK, "layer1").build().collect(net, new TestDataSetIterator(
                        all, 2)));
        assertThrows(IllegalArgumentException.class, () -> ActivationCollector.builder(1)
                .statistic(ChannelStatistic.MEAN_ACTIVATION, "nope").build().collect(net, new TestDataSetIterator(all,
                        2)));
        // patches: a plain convolution, a dense or an output layer (layer1 is the global pooling)
        assertThrows(IllegalArgumentException.class, () -> ActivationCollector.builder(1).patches(10, "layer1").build()
                .collect(net, new TestDataSetIterator(all, 2)));
        // the output layer's input rows: one per image, 4 pooled values each (2 batches of 2 images)
        PatchReservoir rows = ActivationCollector.builder(2).patches(10, "layer2").build().collect(net,
                new TestDataSetIterator(all, 2)).patches().get("layer2");
        assertEquals(4, rows.retainedRows());
        assertEquals(4, rows.rowWidth());
        assertThrows(IllegalArgumentException.class, () -> ActivationCollector.builder(0));
    }
}
