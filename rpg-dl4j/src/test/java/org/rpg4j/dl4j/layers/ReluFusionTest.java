package org.rpg4j.dl4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Nesterovs;

/**
 * The ReLU fused into the batch norm or add before it ({@link ReluFusion}): which pairs
 * {@link FastLayers#withFastLayers} marks, that fused training is bit-identical to the unfused passes (the system
 * property switched back), what a training feed-forward shows, and the JSON round trip of the marks. Training against
 * DL4J's layers and the gradient check of the marked graphs are {@code FastLayersTrainingTest} and
 * {@code FastLayersGradientCheckTest}.
 */
class ReluFusionTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(ReluFusion.PROPERTY);
    }

    @Test
    void marksBatchNormAndAddWhoseOnlyReaderIsTheRelu() {
        ComputationGraphConfiguration conf = FastLayers.withFastLayers(TinyNetworks.residualGraph(
                WorkspaceMode.ENABLED, DataType.FLOAT, new Nesterovs(0.05, 0.9), Activation.RELU, 4));
        assertTrue(batchNorm(conf, "b1").isRectifyOutput(), "b1 feeds only a1");
        assertTrue(relu(conf, "a1").isInputRectified());
        assertTrue(((FastElementWiseVertex) conf.getVertices().get("add")).isRectifyOutput(), "add feeds only a2");
        assertTrue(relu(conf, "a2").isInputRectified());
        assertFalse(batchNorm(conf, "b2").isRectifyOutput(), "b2 feeds the add");
        assertFalse(batchNorm(conf, "bproj").isRectifyOutput(), "bproj feeds the add");
    }

    @Test
    void leavesBatchNormWithSeveralReadersAndNonReluActivationsUnmarked() {
        ComputationGraphConfiguration identity = FastLayers.withFastLayers(TinyNetworks.identityBlockGraph(
                WorkspaceMode.ENABLED, DataType.FLOAT, new Nesterovs(0.05, 0.9), Activation.RELU, 4, false));
        assertFalse(batchNorm(identity, "b1").isRectifyOutput(), "b1 feeds a1 and the add");
        assertFalse(relu(identity, "a1").isInputRectified());
        assertTrue(((FastElementWiseVertex) identity.getVertices().get("add")).isRectifyOutput());
        ComputationGraphConfiguration side = FastLayers.withFastLayers(TinyNetworks.identityBlockGraph(
                WorkspaceMode.ENABLED, DataType.FLOAT, new Nesterovs(0.05, 0.9), Activation.RELU, 4, true));
        assertFalse(((FastElementWiseVertex) side.getVertices().get("add")).isRectifyOutput(), "add feeds add2");
        assertTrue(((FastElementWiseVertex) side.getVertices().get("add2")).isRectifyOutput());
        ComputationGraphConfiguration tanh = FastLayers.withFastLayers(TinyNetworks.residualGraph(
                WorkspaceMode.ENABLED, DataType.FLOAT, new Nesterovs(0.05, 0.9), Activation.TANH, 4));
        assertFalse(batchNorm(tanh, "b1").isRectifyOutput(), "tanh is not fused");
        assertFalse(((FastElementWiseVertex) tanh.getVertices().get("add")).isRectifyOutput());
    }

    @Test
    void stackMarksBatchNormFollowedByReluAndTrainsBitForBitAsUnfused() {
        MultiLayerConfiguration conf = FastLayers.withFastLayers(TinyNetworks.stack(WorkspaceMode.ENABLED,
                DataType.FLOAT, new Nesterovs(0.05, 0.9), Activation.RELU, 4));
        assertTrue(((FastBatchNormalization) conf.getConf(1).getLayer()).isRectifyOutput());
        assertTrue(((FastActivationLayer) conf.getConf(2).getLayer()).isInputRectified());
        assertTrue(((FastBatchNormalization) conf.getConf(4).getLayer()).isRectifyOutput());
        assertTrue(((FastActivationLayer) conf.getConf(5).getLayer()).isInputRectified());
        MultiLayerNetwork unfused = new MultiLayerNetwork(conf);
        MultiLayerNetwork fused = new MultiLayerNetwork(conf.clone());
        unfused.init();
        fused.init();
        fused.setParams(unfused.params());
        DataSet data = TinyNetworks.data(7, 8, DataType.FLOAT);
        for (int i = 0; i < 3; i++) {
            System.setProperty(ReluFusion.PROPERTY, "false");
            unfused.fit(data);
            System.setProperty(ReluFusion.PROPERTY, "true");
            fused.fit(data);
        }
        assertEquals(unfused.params(), fused.params(), "params after 3 steps, bit for bit");
        assertEquals(0.0, fused.feedForward(data.getFeatures(), true).get(2).minNumber().doubleValue(), 0.0,
                "the batch norm's training activation is rectified");
        MultiLayerConfiguration tanh = FastLayers.withFastLayers(TinyNetworks.stack(WorkspaceMode.ENABLED,
                DataType.FLOAT, new Nesterovs(0.05, 0.9), Activation.TANH, 4));
        assertFalse(((FastBatchNormalization) tanh.getConf(1).getLayer()).isRectifyOutput(), "tanh is not fused");
    }

    @Test
    void convertingAnEditedGraphAgainClearsMarksThatNoLongerHold() {
        ComputationGraphConfiguration conf = FastLayers.withFastLayers(TinyNetworks.residualGraph(
                WorkspaceMode.ENABLED, DataType.FLOAT, new Nesterovs(0.05, 0.9), Activation.RELU, 4));
        assertTrue(batchNorm(conf, "b1").isRectifyOutput());
        // a second reader of b1 (as an edit of the converted graph would add): b1's output must stay unrectified
        conf.getVertexInputs().put("proj", new java.util.ArrayList<>(java.util.List.of("b1")));
        ComputationGraphConfiguration again = FastLayers.withFastLayers(conf);
        assertFalse(batchNorm(again, "b1").isRectifyOutput(), "b1 is read by a1 and proj");
        assertFalse(relu(again, "a1").isInputRectified());
        assertTrue(((FastElementWiseVertex) again.getVertices().get("add")).isRectifyOutput(), "still holds");
    }

    @ParameterizedTest
    @EnumSource(value = WorkspaceMode.class, names = {"ENABLED", "NONE"})
    void fusedTrainingEqualsUnfusedBitForBit(WorkspaceMode workspaces) {
        ComputationGraphConfiguration conf = FastLayers.withFastLayers(TinyNetworks.residualGraph(workspaces,
                DataType.FLOAT, new Nesterovs(0.05, 0.9), Activation.RELU, 4));
        ComputationGraph unfused = new ComputationGraph(conf);
        ComputationGraph fused = new ComputationGraph(conf.clone());
        unfused.init();
        fused.init();
        fused.setParams(unfused.params());
        DataSet data = TinyNetworks.data(5, 8, DataType.FLOAT);
        INDArray before = unfused.params().dup();
        for (int i = 0; i < 3; i++) {
            System.setProperty(ReluFusion.PROPERTY, "false");
            unfused.fit(data);
            System.setProperty(ReluFusion.PROPERTY, "true");
            fused.fit(data);
        }
        assertNotEquals(0.0, before.sub(unfused.params()).amaxNumber().doubleValue(), "training moved params");
        assertEquals(unfused.params(), fused.params(), "params after 3 steps, bit for bit");
        assertEquals(unfused.score(), fused.score(), 0.0, "score");
        assertEquals(unfused.outputSingle(data.getFeatures()), fused.outputSingle(data.getFeatures()));
    }

    @Test
    void trainingFeedForwardShowsTheRectifiedBatchNormOutputOnlyWhenFused() {
        ComputationGraph net = new ComputationGraph(FastLayers.withFastLayers(TinyNetworks.residualGraph(
                WorkspaceMode.ENABLED, DataType.FLOAT, new Nesterovs(0.05, 0.9), Activation.RELU, 4)));
        net.init();
        INDArray x = TinyNetworks.data(6, 8, DataType.FLOAT).getFeatures();
        Map<String, INDArray> fused = net.feedForward(x, true);
        assertEquals(0.0, fused.get("b1").minNumber().doubleValue(), 0.0, "rectified in place of the ReLU");
        assertEquals(fused.get("b1"), fused.get("a1"));
        System.setProperty(ReluFusion.PROPERTY, "false");
        Map<String, INDArray> unfused = net.feedForward(x, true);
        assertTrue(unfused.get("b1").minNumber().doubleValue() < 0, "the batch norm's own output has negatives");
        assertEquals(fused.get("a1"), unfused.get("a1"), "the ReLU's output is the same either way");
        assertEquals(fused.get("a2"), unfused.get("a2"));
        Map<String, INDArray> inference = net.feedForward(x, false);
        assertTrue(inference.get("b1").minNumber().doubleValue() < 0, "inference is not fused");
    }

    @Test
    void marksSurviveJson() {
        ComputationGraph net = new ComputationGraph(FastLayers.withFastLayers(TinyNetworks.residualGraph(
                WorkspaceMode.ENABLED, DataType.FLOAT, new Nesterovs(0.05, 0.9), Activation.RELU, 4)));
        net.init();
        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(net.getConfiguration()
                .toJson());
        assertTrue(batchNorm(restored, "b1").isRectifyOutput());
        assertTrue(relu(restored, "a1").isInputRectified());
        assertTrue(((FastElementWiseVertex) restored.getVertices().get("add")).isRectifyOutput());
        assertFalse(batchNorm(restored, "b2").isRectifyOutput());
        assertEquals(net.getConfiguration(), restored);
    }

    @Test
    void rejectsAnUnknownPropertyValue() {
        System.setProperty(ReluFusion.PROPERTY, "yes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ReluFusion::enabled);
        assertTrue(e.getMessage().contains(ReluFusion.PROPERTY) && e.getMessage().contains("yes"), e.getMessage());
    }

    private static FastBatchNormalization batchNorm(ComputationGraphConfiguration conf, String name) {
        Layer layer = ((LayerVertex) conf.getVertices().get(name)).getLayerConf().getLayer();
        assertSame(FastBatchNormalization.class, layer.getClass());
        return (FastBatchNormalization) layer;
    }

    private static FastActivationLayer relu(ComputationGraphConfiguration conf, String name) {
        return (FastActivationLayer) ((LayerVertex) conf.getVertices().get(name)).getLayerConf().getLayer();
    }
}
