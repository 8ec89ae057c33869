package org.rpg4j.dl4j.deploy.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.rpg4j.dl4j.layers.FastLayers;
import org.rpg4j.sparse.format.EncodedTensor;
import org.rpg4j.sparse.format.SparseModel;
import org.rpg4j.sparse.format.TensorEncoding;
import org.rpg4j.sparse.format.ValuePrecision;

/**
 * Round trips of plain DL4J networks with zeros through the sparse model file: every layer type
 * rpg4j prunes, on both network types, with DL4J's and rpg4j's fast layers; outputs bit for bit.
 */
class SparseModelsTest {
    @TempDir
    Path dir;

    static Stream<Arguments> networks() {
        return Stream.of(
                Arguments.of("MLN 2D zoo", (Supplier<Model>) () -> mln(LayerZoo.stack2d()), new long[] {3, 8, 8}),
                Arguments.of("MLN 1D zoo", (Supplier<Model>) () -> mln(LayerZoo.stack1d()), new long[] {3, 10}),
                Arguments.of("CG 2D zoo", (Supplier<Model>) () -> graph(LayerZoo.graph2d()), new long[] {3, 8, 8}),
                Arguments.of("CG 1D zoo", (Supplier<Model>) () -> graph(LayerZoo.graph1d()), new long[] {3, 10}),
                Arguments.of("MLN 2D zoo, fast layers",
                        (Supplier<Model>) () -> mln(FastLayers.withFastLayers(LayerZoo.stack2d())), new long[] {3, 8,
                                8}),
                Arguments.of("CG 2D zoo, fast layers",
                        (Supplier<Model>) () -> graph(FastLayers.withFastLayers(LayerZoo.graph2d())),
                        new long[] {3, 8, 8}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void networkWithZerosLoadsWithIdenticalOutputs(String name, Supplier<Model> factory, long[] example)
            throws IOException {
        Model net = factory.get();
        DataSet data = Networks.data(example, 8, 3);
        Networks.fit(net, data, 3); // moves batch-norm statistics and biases away from their initial values
        Networks.zeroWeights(net, 0.9, 77);
        Path file = dir.resolve("net.zip");

        SparseModel written = SparseModels.write(net, file, ValuePrecision.FLOAT32);
        Model loaded = SparseModels.load(file);

        assertEquals(net.getClass(), loaded.getClass());
        Networks.assertSameParameters(net, loaded);
        float[] expected = Networks.output(net, data.getFeatures());
        Networks.assertInputDependent(expected, 8, name);
        Networks.assertBitIdentical(expected, Networks.output(loaded, data.getFeatures()), name);
        for (EncodedTensor t : written.tensors()) {
            String key = t.layout().name();
            boolean weight = key.endsWith("_W") || key.endsWith("_pW");
            // a 90 % zero weight is stored sparsely; nothing takes more than its dense bytes
            if (weight && t.layout().length() >= 64) {
                assertTrue(t.encoding() != TensorEncoding.DENSE, key + " " + t.encoding() + " sparsity " + t
                        .sparsity());
            }
            assertTrue(t.rawBytes() <= 4L * t.layout().length(), key);
        }
    }

    @Test
    void loadedNetworkIsPlainAndTrainable() throws IOException {
        MultiLayerNetwork net = mln(LayerZoo.stack2d());
        Networks.zeroWeights(net, 0.8, 5);
        Path file = dir.resolve("plain.zip");
        SparseModels.write(net, file, ValuePrecision.FLOAT32);
        MultiLayerNetwork loaded = SparseModels.loadMultiLayerNetwork(file);
        assertEquals(net.getLayerWiseConfigurations().toJson(), loaded.getLayerWiseConfigurations().toJson());
        DataSet data = Networks.data(new long[] {3, 8, 8}, 4, 9);
        loaded.fit(data);
        assertTrue(Double.isFinite(loaded.score()));
    }

    @Test
    void float16IsCloseAndSmaller() throws IOException {
        ComputationGraph net = graph(LayerZoo.graph2d());
        DataSet data = Networks.data(new long[] {3, 8, 8}, 8, 3);
        Networks.fit(net, data, 2);
        Networks.zeroWeights(net, 0.9, 11);
        Path f32 = dir.resolve("f32.zip");
        Path f16 = dir.resolve("f16.zip");
        SparseModel full = SparseModels.write(net, f32, ValuePrecision.FLOAT32);
        SparseModel half = SparseModels.write(net, f16, ValuePrecision.FLOAT16);
        assertTrue(half.rawTensorBytes() < full.rawTensorBytes());
        Model loaded = SparseModels.load(f16);
        float[] expected = Networks.output(net, data.getFeatures());
        Networks.assertInputDependent(expected, 8, "CG 2D zoo");
        float[] actual = Networks.output(loaded, data.getFeatures());
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
        }
        // softmax probabilities from weights rounded to 11 significant bits: far below 1e-2, not exact
        assertTrue(maxDiff < 1e-2, "max difference " + maxDiff);
        float[] p = net.params().toFloatVector();
        float[] q = loaded.params().toFloatVector();
        double maxParamDiff = 0;
        for (int i = 0; i < p.length; i++) {
            maxParamDiff = Math.max(maxParamDiff, Math.abs(p[i] - q[i]));
        }
        assertTrue(maxParamDiff > 0 && maxDiff > 0, "float16 rounding must change something: parameters by "
                + maxParamDiff + ", outputs by " + maxDiff);
    }

    @Test
    void wrongNetworkTypeAndFloat64AreRejected(@TempDir Path tmp) throws IOException {
        MultiLayerNetwork net = mln(LayerZoo.stack1d());
        Path file = tmp.resolve("mln.zip");
        SparseModels.write(net, file, ValuePrecision.FLOAT32);
        try {
            SparseModels.loadComputationGraph(file);
            fail("a MultiLayerNetwork file must not load as a ComputationGraph");
        } catch (org.rpg4j.sparse.format.SparseFormatException e) {
            assertTrue(e.getMessage().contains("MultiLayerNetwork"), e.getMessage());
        }
        MultiLayerNetwork doubles = net.convertDataType(DataType.DOUBLE);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SparseModels.write(doubles, tmp.resolve("d.zip"), ValuePrecision.FLOAT32));
        assertTrue(e.getMessage().contains("DOUBLE"), e.getMessage());
        assertFalse(tmp.resolve("d.zip").toFile().exists());
    }

    static MultiLayerNetwork mln(org.deeplearning4j.nn.conf.MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static ComputationGraph graph(org.deeplearning4j.nn.conf.ComputationGraphConfiguration conf) {
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }
}
