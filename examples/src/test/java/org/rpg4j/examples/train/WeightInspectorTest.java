package org.rpg4j.examples.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;
import org.rpg4j.examples.models.ModelKind;
import org.rpg4j.examples.models.NetworkSettings;
import org.rpg4j.examples.models.ShortcutKind;
import org.rpg4j.examples.models.StandardLayers;

/** {@link WeightInspector}'s exact counts of zeros and of all-zero rows and columns. */
class WeightInspectorTest {
    private static ComputationGraph smallCnn() {
        return ModelKind.SMALL_CNN.build(1, ShortcutKind.A,
                new NetworkSettings(1, 28, 28, 10, new Sgd(0.1), 5e-4, StandardLayers.INSTANCE, 7));
    }

    @Test
    void denseNetworkHasNoZeroRowsOrColumns() {
        List<LayerStat> stats = WeightInspector.inspect(smallCnn(), false);
        assertEquals(List.of("c1_conv", "c2_conv", "fc1", "output"), stats.stream().map(LayerStat::name).toList());
        for (LayerStat s : stats) {
            assertEquals(s.parameters(), s.nonZeros(), s.name());
            assertEquals(0, s.zeroRows(), s.name());
            assertEquals(0, s.zeroColumns(), s.name());
            assertEquals(-1, s.deltaRank(), s.name());
        }
    }

    /**
     * c2 is [32, 16, 3, 3], seen as [32, 144]: zeroing output channels 3 and 7 gives 2 zero rows;
     * zeroing input channel 5 gives 9 zero columns (its 3x3 positions), and one more position of
     * input channel 0 (kernel row 1, column 2) makes 10. fc1 is DL4J [1568, 128], seen as [128,
     * 1568]: zeroing DL4J column 4 is one zero row, zeroing DL4J rows 10..19 ten zero columns.
     */
    @Test
    void countsRowsAndColumnsOfTheOutputFirstMatrix() {
        ComputationGraph net = smallCnn();
        INDArray c2 = net.getLayer("c2_conv").paramTable().get("W");
        c2.get(NDArrayIndex.point(3)).assign(0);
        c2.get(NDArrayIndex.point(7)).assign(0);
        c2.get(NDArrayIndex.all(), NDArrayIndex.point(5)).assign(0);
        c2.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.point(1), NDArrayIndex.point(2)).assign(0);
        INDArray fc1 = net.getLayer("fc1").paramTable().get("W");
        fc1.get(NDArrayIndex.all(), NDArrayIndex.point(4)).assign(0);
        fc1.get(NDArrayIndex.interval(10, 20), NDArrayIndex.all()).assign(0);
        c2.putScalar(new long[] {0, 1, 0, 0}, 0.0);

        List<LayerStat> stats = WeightInspector.inspect(net, true);
        LayerStat conv = stats.get(1);
        assertArrayEquals(new long[] {32, 16, 3, 3}, conv.shape());
        assertEquals(2, conv.zeroRows());
        assertEquals(10, conv.zeroColumns());
        long convZeros = 2 * 144 + 30 * 9 + 30 + 1;
        assertEquals(conv.parameters() - convZeros, conv.nonZeros());
        LayerStat dense = stats.get(2);
        assertEquals(1, dense.zeroRows());
        assertEquals(10, dense.zeroColumns());
        assertEquals(dense.parameters() - (1568 + 10 * 127), dense.nonZeros());
        assertEquals(0, stats.get(0).zeroRows());
        assertEquals(0, stats.get(3).zeroColumns());
    }
}
