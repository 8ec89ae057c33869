package org.rpg4j.dl4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rpg4j.dl4j.layers.TestArrays.assertClose;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;

/** JSON round trips of configurations with the fast layers, and save-load-resume with ModelSerializer. */
class FastLayersSerializationTest {

    /*
     * The configurations are taken from initialised networks: DL4J's deserialiser decides a batch
     * norm's useLogStd from the parameter names the configuration lists, which exist only after
     * init(), so a never-initialised useLogStd(false) configuration (DL4J's layer as well as the
     * fast one) comes back with useLogStd true.
     */

    @Test
    void multiLayerConfigurationRoundTripsThroughJson() {
        MultiLayerNetwork net = new MultiLayerNetwork(FastLayers.withFastLayers(TinyNetworks.stack(
                WorkspaceMode.ENABLED, DataType.FLOAT, new Adam(1e-3), Activation.RELU, 4)));
        net.init();
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        String json = conf.toJson();
        assertTrue(json.contains(FastConvolutionLayer.class.getName()), "class name in JSON");
        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(json);
        assertEquals(conf, restored);
        assertSame(FastConvolutionLayer.class, restored.getConf(0).getLayer().getClass());
        assertSame(FastBatchNormalization.class, restored.getConf(1).getLayer().getClass());
        assertSame(FastActivationLayer.class, restored.getConf(2).getLayer().getClass());
        assertEquals(json, restored.toJson());
    }

    @Test
    void computationGraphConfigurationRoundTripsThroughJson() {
        ComputationGraph net = new ComputationGraph(FastLayers.withFastLayers(TinyNetworks.residualGraph(
                WorkspaceMode.ENABLED, DataType.FLOAT, new Adam(1e-3), Activation.RELU, 4)));
        net.init();
        ComputationGraphConfiguration conf = net.getConfiguration();
        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf, restored);
        assertSame(FastConvolutionLayer.class, layerClass(restored, "c2"));
        assertSame(FastBatchNormalization.class, layerClass(restored, "b2"));
        assertSame(FastActivationLayer.class, layerClass(restored, "a2"));
        assertSame(FastElementWiseVertex.class, restored.getVertices().get("add").getClass());
        assertEquals(conf.toJson(), restored.toJson());
    }

    @Test
    void equalSettingsOfAnotherClassAreNotEqual() {
        ConvolutionLayer standard = new ConvolutionLayer.Builder(3, 3).nOut(4).build();
        assertNotEquals(standard, FastConvolutionLayer.from(standard));
        assertNotEquals(FastConvolutionLayer.from(standard), standard);
        assertEquals(FastConvolutionLayer.from(standard), FastConvolutionLayer.from(standard));
    }

    @Test
    void savedGraphResumesTrainingExactlyLikeTheOriginal(@TempDir Path dir) throws IOException {
        ComputationGraph original = new ComputationGraph(FastLayers.withFastLayers(TinyNetworks.residualGraph(
                WorkspaceMode.ENABLED, DataType.FLOAT, new Nesterovs(0.05, 0.9), Activation.RELU, 4)));
        original.init();
        DataSet data = TinyNetworks.data(5, 8, DataType.FLOAT);
        original.fit(data);
        original.fit(data);
        File file = dir.resolve("graph.zip").toFile();
        ModelSerializer.writeModel(original, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
        assertSame(FastConvolutionLayer.class, layerClass(restored.getConfiguration(), "c1"));
        assertClose("restored params", original.params(), restored.params(), 0.0);
        for (int i = 0; i < 2; i++) {
            original.fit(data);
            restored.fit(data);
        }
        assertClose("params after resuming", original.params(), restored.params(), 0.0);
        assertClose("updater state after resuming", original.getUpdater().getStateViewArray(),
                restored.getUpdater().getStateViewArray(), 0.0);
    }

    @Test
    void savedMultiLayerNetworkResumesTrainingExactlyLikeTheOriginal(@TempDir Path dir) throws IOException {
        MultiLayerNetwork original = new MultiLayerNetwork(FastLayers.withFastLayers(TinyNetworks.stack(
                WorkspaceMode.ENABLED, DataType.FLOAT, new Adam(1e-2), Activation.RELU, 4)));
        original.init();
        DataSet data = TinyNetworks.data(6, 8, DataType.FLOAT);
        original.fit(data);
        File file = dir.resolve("mln.zip").toFile();
        ModelSerializer.writeModel(original, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        for (int i = 0; i < 2; i++) {
            original.fit(data);
            restored.fit(data);
        }
        assertClose("params after resuming", original.params(), restored.params(), 0.0);
    }

    private static Class<?> layerClass(ComputationGraphConfiguration conf, String name) {
        return ((LayerVertex) conf.getVertices().get(name)).getLayerConf().getLayer().getClass();
    }
}
