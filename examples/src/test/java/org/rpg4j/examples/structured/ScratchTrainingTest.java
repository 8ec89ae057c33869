package org.rpg4j.examples.structured;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;
import org.rpg4j.dl4j.structured.StructuredConfig;
import org.rpg4j.dl4j.structured.StructuredPruning;
import org.rpg4j.examples.models.NetworkSettings;
import org.rpg4j.examples.models.SmallCnn;
import org.rpg4j.examples.models.StandardLayers;
import org.rpg4j.examples.train.CosineWarmupSchedule;
import org.rpg4j.examples.train.HeavyBallSgd;

/** The Scratch-E/B network: the shrunk architecture, fresh random weights, iteration 0, its own schedule. */
class ScratchTrainingTest {
    @Test
    void reinitialisedNetworkHasTheShrunkShapesAndFreshWeights() {
        ComputationGraph net = SmallCnn.build(new NetworkSettings(1, 28, 28, 10, new Sgd(0.1), 5e-4,
                StandardLayers.INSTANCE, 7));
        ComputationGraph shrunk = (ComputationGraph) StructuredPruning.prune(net, StructuredConfig.builder(0.5)
                .inputShape(1, 28, 28).build()).network();
        shrunk.getConfiguration().setIterationCount(40);
        CosineWarmupSchedule schedule = new CosineWarmupSchedule(0.05, 2, 30);

        ComputationGraph fresh = ScratchTraining.reinitialise(shrunk, schedule, 0.9);

        assertEquals(0, fresh.getConfiguration().getIterationCount());
        assertEquals(40, shrunk.getConfiguration().getIterationCount(), "the shrunk network is not modified");
        for (String layer : new String[] {"c1_conv", "c2_conv", "fc1"}) {
            INDArray w = fresh.getLayer(layer).getParam("W");
            INDArray old = shrunk.getLayer(layer).getParam("W");
            assertArrayEquals(old.shape(), w.shape(), layer);
            assertTrue(w.stdNumber().doubleValue() > 0, layer + " has random weights, not zeros");
            assertNotEquals(0.0, w.sub(old).norm2Number().doubleValue(), layer + " weights are not the inherited ones");
        }
        LayerVertex c1 = (LayerVertex) fresh.getConfiguration().getVertices().get("c1_conv");
        HeavyBallSgd updater = (HeavyBallSgd) ((BaseLayer) c1.getLayerConf().getLayer()).getIUpdater();
        assertEquals(0.9, updater.momentum());
        assertEquals(schedule.valueAt(5, 0), updater.getLearningRate(5, 0), 0.0, "the scratch phase's schedule");
    }
}
