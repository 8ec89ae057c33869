package org.rpg4j.dl4j.structured;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.factory.Nd4j;

class SensitivityAnalysisTest {
    /** Float32 forward passes of a pruned-and-shrunk against a masked network: same sums, other order. */
    private static final double SHRUNK_TOLERANCE = 1e-5;

    private static DataSet data(long seed, int examples) {
        Nd4j.getRandom().setSeed(seed);
        INDArray features = Nd4j.randn(DataType.FLOAT, examples, 2, 6, 6);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, examples, 3);
        for (int i = 0; i < examples; i++) {
            labels.putScalar(i, i % 3, 1.0);
        }
        return new DataSet(features, labels);
    }

    private static ViewIterator iterator(DataSet ds) {
        return new ViewIterator(ds, 8);
    }

    @Test
    void restoresEveryParameterBitForBit() {
        MultiLayerNetwork net = CriteriaNets.convBnConv(11);
        float[] before = net.params().dup().data().asFloat();
        SensitivityTable t = SensitivityAnalysis.run(net, SensitivityConfig.builder(3).build(), iterator(data(1, 24)));
        assertArrayEquals(before, net.params().data().asFloat());
        // groups of the fixture: conv "0" (8 channels, through BN) and conv "2" (6 channels); 9 ratios each
        assertEquals(List.of("layer0", "layer2"), t.groups());
        assertEquals(18, t.points().size());
        assertEquals(24, t.examples());
    }

    @Test
    void ratioZeroReproducesTheBaselineAndRemovedCountsFollowTheFloor() {
        MultiLayerNetwork net = CriteriaNets.convBnConv(12);
        SensitivityTable t = SensitivityAnalysis.run(net, SensitivityConfig.builder(3).ratios(0, 0.1, 0.5, 0.9)
                .build(), iterator(data(2, 24)));
        List<SensitivityPoint> conv0 = t.pointsOf("layer0");
        assertEquals(t.baselineLoss(), conv0.get(0).loss());
        assertEquals(t.baselineAccuracy(), conv0.get(0).accuracy());
        // 8 channels: floor(0 * 8) = 0, floor(0.1 * 8) = 0, floor(0.5 * 8) = 4, floor(0.9 * 8) = 7 (= 8 - 1)
        assertArrayEquals(new int[] {0, 0, 4, 7}, conv0.stream().mapToInt(SensitivityPoint::removed).toArray());
        // 6 channels: 0, 0, 3, floor(5.4) = 5
        assertArrayEquals(new int[] {0, 0, 3, 5}, t.pointsOf("layer2").stream().mapToInt(SensitivityPoint::removed)
                .toArray());
        assertTrue(conv0.get(3).loss() != t.baselineLoss(), "removing 7 of 8 channels changed nothing");
    }

    @Test
    void filtersThatAreAllZeroHaveZeroSensitivity() {
        MultiLayerNetwork net = CriteriaNets.convBnConv(13);
        // 5 of the 6 filters of conv "2" (W [6, 8, 3, 3]) and their biases are 0: ReLU(0) = 0 reaches the
        // pooling, so removing them (at most 5 = floor(0.9 * 6) are removed, lowest norm first) changes nothing
        net.getLayer(2).getParam("W").get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5)).assign(0);
        net.getLayer(2).getParam("b").get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5)).assign(0);
        SensitivityTable t = SensitivityAnalysis.run(net, SensitivityConfig.builder(2).build(), iterator(data(3, 16)));
        for (SensitivityPoint p : t.pointsOf("layer2")) {
            assertEquals(t.baselineLoss(), p.loss(), "ratio " + p.ratio());
            assertEquals(t.baselineAccuracy(), p.accuracy(), "ratio " + p.ratio());
        }
        assertTrue(t.pointsOf("layer0").stream().anyMatch(p -> p.loss() != t.baselineLoss()));
    }

    @Test
    void aPointEqualsTheShrunkNetworkWithOnlyThatLayerPruned() {
        MultiLayerNetwork net = CriteriaNets.convBnConv(14);
        DataSet ds = data(4, 24);
        SensitivityTable t = SensitivityAnalysis.run(net, SensitivityConfig.builder(3).ratios(0.5).criterion(
                "l2-filter").layers(List.of("layer0")).build(), iterator(ds));
        assertEquals(List.of("layer0"), t.groups());
        Model shrunk = StructuredPruning.prune(net, StructuredConfig.builder(0).criterion("l2-filter")
                .layerSparsity("layer0", 0.5).build()).network();
        double[] expected = EvaluationBatches.read(iterator(ds), 3).evaluate(shrunk);
        assertEquals(expected[0], t.points().get(0).loss(), SHRUNK_TOLERANCE);
        assertEquals(expected[1], t.points().get(0).accuracy());
    }

    @Test
    void badInputIsNamed() {
        MultiLayerNetwork net = CriteriaNets.convBnConv(15);
        SensitivityConfig ok = SensitivityConfig.builder(2).build();
        DataSet ds = data(5, 8);
        assertThrows(IllegalArgumentException.class, () -> SensitivityConfig.builder(0));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SensitivityConfig.builder(1).ratios(0.5, 1.0))
                .getMessage().contains("1.0"));
        assertThrows(IllegalArgumentException.class, () -> SensitivityConfig.builder(1).ratios(0.5, 0.3));
        assertThrows(IllegalArgumentException.class, () -> SensitivityConfig.builder(1).criterion("nope"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SensitivityAnalysis.run(net, SensitivityConfig
                .builder(1).layers(List.of("conv9")).build(), iterator(ds))).getMessage().contains("conv9"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SensitivityAnalysis.run(net, SensitivityConfig
                .builder(1).layers(List.of("layer4")).build(), iterator(ds))).getMessage().contains("layer4"));
        assertThrows(IllegalArgumentException.class, () -> SensitivityAnalysis.run(net, null, iterator(ds)));
        assertThrows(IllegalArgumentException.class, () -> SensitivityAnalysis.run(net, ok, null));
        DataSet empty = new DataSet(ds.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 0)), ds
                .getLabels().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 0)));
        assertThrows(IllegalArgumentException.class, () -> SensitivityAnalysis.run(net, ok, iterator(empty)));
        MultiLayerNetwork uninitialised = new MultiLayerNetwork(net.getLayerWiseConfigurations().clone());
        assertThrows(IllegalStateException.class, () -> SensitivityAnalysis.run(uninitialised, ok, iterator(ds)));
    }
}
