package org.rpg4j.dl4j.structured.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.rpg4j.dl4j.structured.StructuredConfig;
import org.rpg4j.structured.ChannelGroup;
import org.rpg4j.structured.KeepSelection;

class DropNetTest {
    @Test
    void scheduleIsGeometricAndEndsOnTheTarget() {
        // 1 - (1 - 0.75)^(1/2) = 0.5: half the survivors per round
        assertEquals(0.5, DropNet.sparsityAfter(0.75, 1, 2), 1e-15);
        assertEquals(0.75, DropNet.sparsityAfter(0.75, 2, 2), 0);
        assertEquals(0.0, DropNet.sparsityAfter(0.75, 0, 2), 0);
    }

    @Test
    void everyRoundHitsItsTargetAndDroppedChannelsStayDroppedAndZero() {
        MultiLayerNetwork net = DataNets.convBnConv(3);
        DataSet data = DataNets.data(64, 6);
        int rounds = 3;
        double target = 0.7;
        DropNet d = DropNet.attach(net, StructuredConfig.builder(target).build(), rounds, WeightReset.KEEP);
        ChannelGroup g0 = HRankTest.group(net, "layer0");
        ChannelGroup g3 = HRankTest.group(net, "layer3");
        boolean[] previous = d.selection().keep(g0);
        for (int r = 1; r <= rounds; r++) {
            DataNets.train(net, data, 32, 3);
            KeepSelection s = d.dropRound(DataNets.iterator(data, 32), 2);
            // floor(s_r * 8) with s_r = 1 - 0.3^(r/3): 2, 4, 5 channels removed
            int removed = (int) Math.floor(DropNet.sparsityAfter(target, r, rounds) * 8);
            assertEquals(new int[] {2, 4, 5}[r - 1], removed);
            assertEquals(8 - removed, KeepSelection.count(s.keep(g0)), "round " + r);
            assertEquals(8 - removed, KeepSelection.count(s.keep(g3)), "round " + r);
            boolean[] keep = s.keep(g0);
            for (int c = 0; c < 8; c++) {
                assertTrue(previous[c] || !keep[c], "channel " + c + " came back in round " + r);
            }
            previous = keep;
        }
        DataNets.train(net, data, 32, 3);
        INDArray w = net.getLayer(0).getParam("W");
        for (int c = 0; c < 8; c++) {
            if (!previous[c]) {
                assertEquals(0.0, w.get(NDArrayIndex.point(c)).amaxNumber().doubleValue(), 0, "filter " + c);
            }
        }
        DataDrivenResult result = d.finish();
        assertEquals(3, result.result().report().layers().get(0).after().channels());
        assertThrows(IllegalStateException.class, d::finish);
    }

    @Test
    void resetRestoresTheSurvivorsInitialWeights() {
        MultiLayerNetwork net = DataNets.convBnConv(4);
        INDArray initial = net.getLayer(3).getParam("W").dup();
        DataSet data = DataNets.data(64, 7);
        DropNet d = DropNet.attach(net, StructuredConfig.builder(0.5).exclude("layer0").build(), 1,
                WeightReset.RESET_TO_INITIAL);
        DataNets.train(net, data, 32, 4);
        KeepSelection s = d.dropRound(DataNets.iterator(data, 32), 1);
        boolean[] keep = s.keep(HRankTest.group(net, "layer3"));
        INDArray w = net.getLayer(3).getParam("W");
        for (int c = 0; c < 8; c++) {
            float[] now = Nd4j.toFlattened(w.get(NDArrayIndex.point(c))).toFloatVector();
            float[] then = Nd4j.toFlattened(initial.get(NDArrayIndex.point(c))).toFloatVector();
            if (keep[c]) {
                assertArrayEquals(then, now, 0f, "survivor " + c + " is back at its initial weights");
            } else {
                assertArrayEquals(new float[now.length], now, 0f, "dropped filter " + c + " is zero");
            }
        }
    }
}
