package org.rpg4j.dl4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.rpg4j.dl4j.layers.ConvolutionNets.configure;
import static org.rpg4j.dl4j.layers.ConvolutionNets.network;
import static org.rpg4j.dl4j.layers.TestArrays.assertClose;
import static org.rpg4j.dl4j.layers.TestArrays.gaussian;
import static org.rpg4j.dl4j.layers.TestArrays.inference;
import static org.rpg4j.dl4j.layers.TestArrays.maxDifference;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.rpg4j.dl4j.layers.onednn.OneDnn;
import org.rpg4j.dl4j.layers.onednn.OneDnnLayerInference;

/**
 * The inference-mode oneDNN primitive of {@link FastConvolutionLayerImpl} ({@code OneDnnLayerInference}: weights
 * kept in oneDNN's layout between calls, ReLU fused): the same outputs as DL4J's ConvolutionLayer and as the
 * training primitive for every geometry of {@link FastConvolutionLayerTest}; the kept weights follow every kind of
 * weight change and are not reordered again while the weights stay the same; the switch back to the training
 * primitive.
 */
class ConvolutionInferencePrimitiveTest {

    /** Against DL4J's layer: float32 sums in different orders, 1e-5 of the largest output. */
    private static final double TOLERANCE = 1e-5;
    private static final int IN_CHANNELS = ConvolutionNets.IN_CHANNELS;
    private static final int OUT_CHANNELS = ConvolutionNets.OUT_CHANNELS;
    private static final String PROPERTY = FastConvolutionLayerImpl.INFERENCE_PRIMITIVE_PROPERTY;

    @AfterEach
    void clearProperty() {
        System.clearProperty(PROPERTY);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.rpg4j.dl4j.layers.FastConvolutionLayerTest#cases")
    void inferencePrimitiveMatchesDl4jAndTheTrainingPrimitive(FastConvolutionLayerTest.Case c) {
        assumeTrue(OneDnn.available(), "oneDNN is not available");
        for (int batch : new int[] {1, 3}) {
            MultiLayerNetwork standard = network(configure(new ConvolutionLayer.Builder(), c).build(), c.height(),
                    c.width());
            MultiLayerNetwork fast = network(configure(new FastConvolutionLayer.Builder(), c).build(), c.height(),
                    c.width());
            INDArray params = gaussian(31, 1, standard.numParams()).muli(0.5);
            standard.setParams(params);
            fast.setParams(params);
            INDArray x = gaussian(32 + batch, batch, IN_CHANNELS, c.height(), c.width());
            INDArray xCopy = x.dup();
            INDArray expected = inference(standard.getLayer(0), x);
            INDArray trainingPrimitive = inferenceWith(fast.getLayer(0), x, "training");
            FastConvolutionLayerImpl layer = (FastConvolutionLayerImpl) fast.getLayer(0);
            assertFalse(layer.usesInferencePrimitive(), "'training' runs the training primitive");
            INDArray fused = inference(layer, x);
            assertClose("inference primitive against DL4J, batch " + batch, expected, fused, TOLERANCE);
            assertClose("inference against training primitive, batch " + batch, trainingPrimitive, fused, TOLERANCE);
            assertClose("input unchanged", xCopy, x, 0.0);
            assertEquals(c.dilation()[0] == 1, layer.usesInferencePrimitive(),
                    "the inference primitive runs every undilated convolution");
        }
    }

    @Test
    void keptWeightsFollowEveryKindOfChangeAndAreReorderedOnlyThen() {
        assumeTrue(OneDnn.available(), "oneDNN is not available");
        // 16 output channels: oneDNN keeps the weights in a blocked layout (a reorder to count)
        MultiLayerNetwork fast = network(new FastConvolutionLayer.Builder(3, 3).nOut(16).hasBias(true)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build(), 8, 8);
        Layer layer = fast.getLayer(0);
        INDArray x = gaussian(41, 1, IN_CHANNELS, 8, 8);
        INDArray first = inference(layer, x);
        OneDnnLayerInference primitive = ((FastConvolutionLayerImpl) layer).inferencePrimitive();
        long reorders = primitive.weightReorders();
        assertEquals(primitive.keepsWeights() ? 1 : 0, reorders, "the first call reorders the weights once");
        for (int call = 0; call < 3; call++) {
            assertEquals(0.0, maxDifference(first, inference(layer, x)), "call " + call + " bit-identical");
        }
        assertEquals(reorders, primitive.weightReorders(), "unchanged weights are not reordered again");
        int step = primitive.keepsWeights() ? 1 : 0;

        layer.getParam("W").muli(-0.5);
        assertFollowsTheTrainingPrimitive(layer, x, "in-place edit of the weights", reorders += step);
        layer.getParam("b").addi(0.75);
        assertFollowsTheTrainingPrimitive(layer, x, "in-place edit of the bias (read in place)", reorders);
        layer.getParam("W").putScalar(new long[] {15, 2, 2, 2}, 3.0);
        assertFollowsTheTrainingPrimitive(layer, x, "the last weight changed", reorders += step);
        fast.setParams(gaussian(42, 1, fast.numParams()));
        assertFollowsTheTrainingPrimitive(layer, x, "setParams", reorders += step);
        assertTrue(maxDifference(first, inference(layer, x)) > 0.1, "the changes changed the output");
    }

    @Test
    void trainingStepsAreSeenByTheNextInferenceCall() {
        assumeTrue(OneDnn.available(), "oneDNN is not available");
        MultiLayerNetwork net = new MultiLayerNetwork(FastLayers.withFastLayers(TinyNetworks.stack(
                WorkspaceMode.ENABLED, DataType.FLOAT, new Sgd(0.5), Activation.RELU, 4)));
        net.init();
        DataSet data = TinyNetworks.data(51, 4, DataType.FLOAT);
        for (int step = 0; step < 3; step++) {
            INDArray fused = net.output(data.getFeatures(), false).dup();
            assertTrue(((FastConvolutionLayerImpl) net.getLayer(0)).usesInferencePrimitive(), "step " + step);
            System.setProperty(PROPERTY, "training");
            INDArray training = net.output(data.getFeatures(), false).dup();
            System.clearProperty(PROPERTY);
            assertClose("network output after " + step + " training steps", training, fused, TOLERANCE);
            net.fit(data);
        }
    }

    @Test
    void measuredChoiceRunsTheInferencePrimitiveOnItsOpSide() {
        assumeTrue(OneDnn.available(), "oneDNN is not available");
        ConvolutionLayer.Builder standardBuilder = new ConvolutionLayer.Builder(3, 3).nOut(OUT_CHANNELS)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU);
        MultiLayerNetwork standard = network(standardBuilder.build(), 8, 8);
        MultiLayerNetwork fast = network(new FastConvolutionLayer.Builder(3, 3).nOut(OUT_CHANNELS)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build(), 8, 8);
        fast.setParams(standard.params());
        FastConvolutionLayerImpl layer = (FastConvolutionLayerImpl) fast.getLayer(0);
        INDArray x = gaussian(44, 1, IN_CHANNELS, 8, 8);
        INDArray expected = inference(standard.getLayer(0), x);
        System.setProperty(ConvolutionInference.PROPERTY, "measured");
        try {
            // the first calls time both kernels, the op side last: it must be the inference primitive
            assertClose("measured, calibration call", expected, inference(layer, x), TOLERANCE);
            assertTrue(layer.usesInferencePrimitive(),
                    "the op side of the measured choice ran the inference primitive");
            for (int call = 1; call < 5; call++) {
                assertClose("measured, call " + call, expected, inference(layer, x), TOLERANCE);
            }
        } finally {
            System.clearProperty(ConvolutionInference.PROPERTY);
        }
    }

    @Test
    void trainingForwardDoesNotUseTheInferencePrimitive() {
        assumeTrue(OneDnn.available(), "oneDNN is not available");
        MultiLayerNetwork fast = network(new FastConvolutionLayer.Builder(3, 3).nOut(OUT_CHANNELS)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build(), 6, 6);
        FastConvolutionLayerImpl layer = (FastConvolutionLayerImpl) fast.getLayer(0);
        layer.activate(gaussian(43, 2, IN_CHANNELS, 6, 6), true, LayerWorkspaceMgr.noWorkspaces());
        assertNull(layer.inferencePrimitive(), "a training forward creates no inference primitive");
        assertFalse(layer.usesInferencePrimitive());
    }

    @Test
    void anUnknownValueIsRejectedNamingTheProperty() {
        MultiLayerNetwork fast = network(new FastConvolutionLayer.Builder(3, 3).nOut(OUT_CHANNELS).build(), 5, 5);
        System.setProperty(PROPERTY, "fastest");
        INDArray x = gaussian(71, 1, IN_CHANNELS, 5, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fast.getLayer(0).activate(x, false, LayerWorkspaceMgr.noWorkspaces()));
        assertTrue(e.getMessage().contains(PROPERTY) && e.getMessage().contains("'fastest'"), e.getMessage());
    }

    private static void assertFollowsTheTrainingPrimitive(Layer layer, INDArray x, String change, long reorders) {
        INDArray fused = inference(layer, x);
        OneDnnLayerInference primitive = ((FastConvolutionLayerImpl) layer).inferencePrimitive();
        assertEquals(reorders, primitive.weightReorders(), change + ": weights reordered once if they changed");
        INDArray training = inferenceWith(layer, x, "training");
        assertClose(change + ": inference against training primitive", training, fused, TOLERANCE);
    }

    private static INDArray inferenceWith(Layer layer, INDArray x, String value) {
        return ConvolutionNets.inferenceWith(PROPERTY, layer, x, value);
    }
}
