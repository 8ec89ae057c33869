package org.rpg4j.structured;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ChannelSelectionTest {
    private static final double EXACT = 0.0;

    /** conv W [3 out, 1 in, 1, 2], next dense reads a flatten of 3 channels x 2 positions (W [6, 1]). */
    private static ChannelGroup group() {
        return new ChannelGroup(0, 3, List.of("conv"), List.of(
                new ChannelSlice("conv", "W", 0, 0, 1, new int[] {0, 1, 2}, SliceRole.PRODUCER),
                new ChannelSlice("dense", "W", 0, 0, 2, new int[] {0, 1, 2}, SliceRole.CONSUMER)), Optional.empty());
    }

    private static TensorSource weights() {
        INDArray conv = Nd4j.createFromArray(new double[] {1, -2, 0, 0.5, -3, 3}).reshape(3, 1, 1, 2);
        return (layer, param) -> {
            if (!layer.equals("conv")) {
                throw new IllegalArgumentException("no tensor " + layer + "/" + param);
            }
            return conv;
        };
    }

    @Test
    void filterNormSumsAbsoluteProducerWeights() {
        // |1| + |-2| = 3; |0| + |0.5| = 0.5; |-3| + |3| = 6
        assertArrayEquals(new double[] {3, 0.5, 6}, new FilterNorm().scores(group(), weights()), EXACT);
    }

    @Test
    void filterNormAddsEveryProducerOfAChannel() {
        ChannelGroup twice = new ChannelGroup(0, 3, List.of("conv"), List.of(
                new ChannelSlice("conv", "W", 0, 0, 1, new int[] {0, 1, 2}, SliceRole.PRODUCER),
                new ChannelSlice("conv", "W", 0, 0, 1, new int[] {2, 1, 0}, SliceRole.PRODUCER)), Optional.empty());
        // channel 0: 3 + 6, channel 1: 0.5 + 0.5, channel 2: 6 + 3
        assertArrayEquals(new double[] {9, 1, 9}, new FilterNorm().scores(twice, weights()), EXACT);
    }

    @Test
    void perGroupRemovesTheLowestScores() {
        // sparsity 0.5 of 3 channels: floor(1.5) = 1 removed, the lowest (channel 1, score 0.5)
        KeepSelection k = ChannelSelection.perGroup(List.of(group()), new FilterNorm(), weights(), 0.5);
        assertArrayEquals(new boolean[] {true, false, true}, k.keep(group()));
        // 0.9 of 3: floor(2.7) = 2 removed, channel 2 (score 6) stays
        k = ChannelSelection.perGroup(List.of(group()), new FilterNorm(), weights(), 0.9);
        assertArrayEquals(new boolean[] {false, false, true}, k.keep(group()));
    }

    @Test
    void lockedGroupsKeepEverything() {
        ChannelGroup g = group();
        ChannelGroup locked = new ChannelGroup(0, 3, g.producers(), g.slices(), Optional.of("network input"));
        KeepSelection k = ChannelSelection.perGroup(List.of(locked), new FilterNorm(), weights(), 0.9);
        assertEquals(3, KeepSelection.count(k.keep(locked)));
    }

    @Test
    void badInputNamesTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChannelSelection.perGroup(List.of(group()), new FilterNorm(), weights(), 1.0));
        assertTrue(e.getMessage().contains("sparsity must be in [0, 1), got 1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KeepSelection.keepAll().with(4, new boolean[3]));
        assertTrue(e.getMessage().contains("group 4 keeps no channel"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ChannelGroup(0, 2, List.of(), group().slices(),
                Optional.empty()));
        assertTrue(e.getMessage().contains("names channel 2"), e.getMessage());
    }
}
