package org.rpg4j.dl4j.structured;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

class KeptCountRoundingTest {
    @Test
    void keptCountsRoundUpToTheMultipleWithTheBestScoredChannels() {
        MultiLayerNetwork net = CriteriaNets.convBnConv(21);
        // sparsity 0.7: conv "layer0" (8 channels) keeps 8 - floor(5.6) = 3, rounded up to 4;
        // conv "layer2" (6 channels) keeps 6 - floor(4.2) = 2, rounded up to 4
        MultiLayerNetwork rounded = (MultiLayerNetwork) StructuredPruning.prune(net, StructuredConfig.builder(0.7)
                .channelMultiple(4).build()).network();
        assertEquals(4, rounded.getLayer(0).getParam("W").size(0));
        assertEquals(4, rounded.getLayer(2).getParam("W").size(0));
        // the same 4 best channels as asking for 4 directly: floor(0.5 * 8) = 4 and floor(0.34 * 6) = 2 removed
        MultiLayerNetwork direct = (MultiLayerNetwork) StructuredPruning.prune(net, StructuredConfig.builder(0)
                .layerSparsity("layer0", 0.5).layerSparsity("layer2", 0.34).build()).network();
        assertArrayEquals(direct.params().data().asFloat(), rounded.params().data().asFloat());
        // a multiple above a group's size keeps the whole group
        MultiLayerNetwork whole = (MultiLayerNetwork) StructuredPruning.prune(net, StructuredConfig.builder(0.7)
                .channelMultiple(8).build()).network();
        assertEquals(8, whole.getLayer(0).getParam("W").size(0));
        assertEquals(6, whole.getLayer(2).getParam("W").size(0));
    }

    @Test
    void channelMultipleRoundTripsThroughJsonAndRejectsBadValues() {
        StructuredConfig c = StructuredConfig.builder(0.5).channelMultiple(8).build();
        assertEquals(8, StructuredConfig.fromJson(c.toJson()).channelMultiple());
        assertEquals(c, StructuredConfig.fromJson(c.toJson()));
        assertEquals(1, StructuredConfig.builder(0.5).build().channelMultiple());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StructuredConfig.builder(0.5)
                .channelMultiple(0));
        assertEquals("channelMultiple must be >= 1, got 0", e.getMessage());
    }
}
