package org.rpg4j.structured;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** L2 filter norm and global ranking on hand-computed cases. */
class FilterRankingTest {
    private static final double TIGHT = 1e-12;

    private static ChannelGroup conv(int id, String layer, int size) {
        int[] channels = new int[size];
        for (int c = 0; c < size; c++) {
            channels[c] = c;
        }
        return new ChannelGroup(id, size, List.of(layer), List.of(
                new ChannelSlice(layer, "W", 0, 0, 1, channels, SliceRole.PRODUCER)), Optional.empty());
    }

    /** conv W [3, 1, 1, 2] rows [2, 2], [3, 0], [0, 0.5]; conv2 W [2, 1, 1, 2] rows [4, 4], [1, 0]. */
    private static TensorSource weights() {
        Map<String, INDArray> w = Map.of(
                "conv", Nd4j.createFromArray(new double[] {2, 2, 3, 0, 0, 0.5}).reshape(3, 1, 1, 2),
                "conv2", Nd4j.createFromArray(new double[] {4, 4, 1, 0}).reshape(2, 1, 1, 2));
        return (layer, param) -> w.get(layer);
    }

    @Test
    void l2NormDiffersFromL1InRanking() {
        // L2: sqrt(4 + 4) = 2.828..., sqrt(9) = 3, sqrt(0.25) = 0.5; L1: 4, 3, 0.5
        double[] l2 = new FilterL2Norm().scores(conv(0, "conv", 3), weights());
        assertArrayEquals(new double[] {Math.sqrt(8), 3, 0.5}, l2, TIGHT);
        // sparsity 0.7 of 3: floor(2.1) = 2 removed; L2 keeps channel 1 (3 > 2.83), L1 keeps channel 0 (4 > 3)
        List<ChannelGroup> g = List.of(conv(0, "conv", 3));
        assertArrayEquals(new boolean[] {false, true, false},
                ChannelSelection.perGroup(g, new FilterL2Norm(), weights(), 0.7).keep(g.get(0)));
        assertArrayEquals(new boolean[] {true, false, false},
                ChannelSelection.perGroup(g, new FilterNorm(), weights(), 0.7).keep(g.get(0)));
    }

    @Test
    void globalRankingComparesNormalisedScoresAcrossGroups() {
        // L1: conv 4, 3, 0.5 (/ max 4: 1, 0.75, 0.125); conv2 8, 1 (/ 8: 1, 0.125)
        // 5 channels, sparsity 0.5: floor(2.5) = 2 removed: conv/2 (0.125, group 0 first), conv2/1 (0.125)
        List<ChannelGroup> g = List.of(conv(0, "conv", 3), conv(1, "conv2", 2));
        KeepSelection k = GlobalChannelSelection.select(g, new FilterNorm(), weights(), 0.5, x -> true);
        assertArrayEquals(new boolean[] {true, true, false}, k.keep(g.get(0)));
        assertArrayEquals(new boolean[] {true, false}, k.keep(g.get(1)));
        // sparsity 0.8: floor(4) = 4 asked; conv/2, conv2/1, conv/1 go; then each group has one channel left
        k = GlobalChannelSelection.select(g, new FilterNorm(), weights(), 0.8, x -> true);
        assertArrayEquals(new boolean[] {true, false, false}, k.keep(g.get(0)));
        assertArrayEquals(new boolean[] {true, false}, k.keep(g.get(1)));
    }

    @Test
    void globalRankingSkipsIneligibleGroups() {
        // only conv2 eligible: 2 channels, sparsity 0.5 -> 1 removed (channel 1); conv keeps all
        List<ChannelGroup> g = List.of(conv(0, "conv", 3), conv(1, "conv2", 2));
        KeepSelection k = GlobalChannelSelection.select(g, new FilterNorm(), weights(), 0.5, x -> x.id() == 1);
        assertArrayEquals(new boolean[] {true, true, true}, k.keep(g.get(0)));
        assertArrayEquals(new boolean[] {true, false}, k.keep(g.get(1)));
    }

    @Test
    void globalRankingRejectsBadSparsity() {
        List<ChannelGroup> g = List.of(conv(0, "conv", 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GlobalChannelSelection.select(g, new FilterNorm(), weights(), 1.0, x -> true));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("1.0"), e.getMessage());
    }
}
