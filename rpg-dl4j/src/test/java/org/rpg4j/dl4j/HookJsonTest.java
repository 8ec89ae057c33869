package org.rpg4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.rpg4j.dl4j.hooks.CaptureGradients;
import org.rpg4j.dl4j.hooks.MaskGradients;
import org.rpg4j.dl4j.hooks.MaskUpdates;
import org.rpg4j.dl4j.hooks.RpgRegularization;

/** The hooks DL4J persists survive its JSON round trip, unbound, in their places. */
class HookJsonTest {

    @Test
    void multiLayerConfigurationRoundTrip() {
        MultiLayerNetwork net = Nets.smallMln(new Adam(0.01), Nets.Decay.L2, false);
        Dl4jPruning.attach(net, SaveRestoreTest.config());
        String json = net.getLayerWiseConfigurations().toJson();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertEquals(json, back.toJson());
        List<Regularization> regs = ((BaseLayer) back.getConf(0).getLayer()).getRegularization();
        assertHooks("conv", regs);
        assertEquals(net.getLayerWiseConfigurations(), back, "configurations with hooks compare equal");
    }

    @Test
    void graphConfigurationRoundTrip() {
        ComputationGraph net = Nets.smallGraph(new Adam(0.01), Nets.Decay.L2, false);
        Dl4jPruning.attach(net, SaveRestoreTest.config());
        String json = net.getConfiguration().toJson();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(json);
        assertEquals(json, back.toJson());
        LayerVertex dense = (LayerVertex) back.getVertices().get("dense");
        assertHooks("dense", ((BaseLayer) dense.getLayerConf().getLayer()).getRegularization());
    }

    private static void assertHooks(String layer, List<Regularization> regs) {
        assertEquals(4, regs.size(), regs.toString());
        assertEquals(new CaptureGradients(layer), regs.get(0));
        assertEquals("L2Regularization", regs.get(1).getClass().getSimpleName());
        assertEquals(new MaskGradients(layer), regs.get(2));
        assertEquals(new MaskUpdates(layer), regs.get(3));
        for (Regularization r : List.of(regs.get(0), regs.get(2), regs.get(3))) {
            assertFalse(((RpgRegularization) r).bound(), "deserialised hooks are unbound");
            assertFalse(((RpgRegularization) r.clone()).bound());
            assertTrue(r.clone().equals(r));
            assertEquals(0.0, r.score(null, 0, 0));
        }
    }
}
