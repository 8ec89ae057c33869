package org.rpg4j.dl4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.rpg4j.dl4j.layers.TestArrays.assertClose;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Nesterovs;

/**
 * Whole networks train the same with the fast layers as with DL4J's, in both workspace modes:
 * parameters (including batch-norm running statistics) and outputs after a few Nesterov steps.
 */
class FastLayersTrainingTest {

    /**
     * Float32 differences of about 1e-6 per layer grow through 3 momentum steps of a 7-layer
     * network; 1e-3 relative to the largest value still catches any wrong term (those differ by
     * 1e-2 or more).
     */
    private static final double TRAINING_TOLERANCE = 1e-3;
    private static final int STEPS = 3;

    @ParameterizedTest
    @EnumSource(value = WorkspaceMode.class, names = {"ENABLED", "NONE"})
    void computationGraphTrainsLikeDl4jLayers(WorkspaceMode workspaces) {
        ComputationGraphConfiguration conf = TinyNetworks.residualGraph(workspaces, DataType.FLOAT,
                new Nesterovs(0.05, 0.9), Activation.RELU, 4);
        ComputationGraph standard = new ComputationGraph(conf);
        ComputationGraph fast = new ComputationGraph(FastLayers.withFastLayers(conf));
        standard.init();
        fast.init();
        fast.setParams(standard.params());
        DataSet data = TinyNetworks.data(3, 8, DataType.FLOAT);
        INDArray before = standard.params().dup();
        for (int i = 0; i < STEPS; i++) {
            standard.fit(data);
            fast.fit(data);
        }
        assertNotEquals(0.0, before.sub(standard.params()).amaxNumber().doubleValue(), "training moved params");
        assertClose("params after training", standard.params(), fast.params(), TRAINING_TOLERANCE);
        assertClose("inference output", standard.outputSingle(data.getFeatures()),
                fast.outputSingle(data.getFeatures()), TRAINING_TOLERANCE);
        assertEquals(standard.score(), fast.score(), TRAINING_TOLERANCE, "score");
    }

    @ParameterizedTest
    @EnumSource(value = WorkspaceMode.class, names = {"ENABLED", "NONE"})
    void multiLayerNetworkTrainsLikeDl4jLayers(WorkspaceMode workspaces) {
        MultiLayerConfiguration conf = TinyNetworks.stack(workspaces, DataType.FLOAT, new Nesterovs(0.05, 0.9),
                Activation.RELU, 4);
        MultiLayerNetwork standard = new MultiLayerNetwork(conf);
        MultiLayerNetwork fast = new MultiLayerNetwork(FastLayers.withFastLayers(conf));
        standard.init();
        fast.init();
        fast.setParams(standard.params());
        DataSet data = TinyNetworks.data(4, 8, DataType.FLOAT);
        for (int i = 0; i < STEPS; i++) {
            standard.fit(data);
            fast.fit(data);
        }
        assertClose("params after training", standard.params(), fast.params(), TRAINING_TOLERANCE);
        assertClose("inference output", standard.output(data.getFeatures()), fast.output(data.getFeatures()),
                TRAINING_TOLERANCE);
    }

    @Test
    void withFastLayersReplacesStandardLayersInACopy() {
        ComputationGraphConfiguration conf = TinyNetworks.residualGraph(WorkspaceMode.ENABLED, DataType.FLOAT,
                new Nesterovs(0.05, 0.9), Activation.RELU, 4);
        ComputationGraphConfiguration converted = FastLayers.withFastLayers(conf);
        int convolutions = 0;
        int norms = 0;
        int activations = 0;
        for (String name : conf.getVertices().keySet()) {
            if (!(conf.getVertices().get(name) instanceof LayerVertex original)) {
                continue;
            }
            Class<?> before = original.getLayerConf().getLayer().getClass();
            Class<?> after = ((LayerVertex) converted.getVertices().get(name)).getLayerConf().getLayer().getClass();
            if (before == ConvolutionLayer.class) {
                assertSame(FastConvolutionLayer.class, after, name);
                convolutions++;
            } else if (before == BatchNormalization.class) {
                assertSame(FastBatchNormalization.class, after, name);
                norms++;
            } else if (before == ActivationLayer.class) {
                assertSame(FastActivationLayer.class, after, name);
                activations++;
            } else {
                assertSame(before, after, name);
            }
        }
        assertEquals(4, convolutions, "standard convolutions left in the original");
        assertEquals(3, norms, "standard batch norms left in the original");
        assertEquals(2, activations, "standard activation layers left in the original");
        assertSame(ElementWiseVertex.class, conf.getVertices().get("add").getClass(), "original add");
        assertSame(FastElementWiseVertex.class, converted.getVertices().get("add").getClass(), "converted add");
    }
}
