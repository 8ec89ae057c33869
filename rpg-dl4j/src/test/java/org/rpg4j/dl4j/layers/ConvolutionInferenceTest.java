package org.rpg4j.dl4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rpg4j.dl4j.layers.ConvolutionNets.configure;
import static org.rpg4j.dl4j.layers.ConvolutionNets.network;
import static org.rpg4j.dl4j.layers.TestArrays.assertClose;
import static org.rpg4j.dl4j.layers.TestArrays.gaussian;
import static org.rpg4j.dl4j.layers.TestArrays.inference;
import static org.rpg4j.dl4j.layers.TestArrays.maxDifference;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
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

/**
 * The inference-mode Java kernel of {@link FastConvolutionLayerImpl} ({@link ConvolutionInference}): the same
 * outputs as DL4J's ConvolutionLayer and the {@code conv2d} op, for every geometry of
 * {@link FastConvolutionLayerTest}; recompiled after every kind of weight change; the measured choice.
 */
class ConvolutionInferenceTest {

    /**
     * Java kernel against the op and DL4J: float32 sums of at most 27 products in different orders differ by a
     * few 1e-7 relative; 1e-5 of the largest output.
     */
    private static final double TOLERANCE = 1e-5;
    private static final int IN_CHANNELS = ConvolutionNets.IN_CHANNELS;
    private static final int OUT_CHANNELS = ConvolutionNets.OUT_CHANNELS;

    @AfterEach
    void clearProperty() {
        System.clearProperty(ConvolutionInference.PROPERTY);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.rpg4j.dl4j.layers.FastConvolutionLayerTest#cases")
    void javaKernelMatchesDl4jAndTheOp(FastConvolutionLayerTest.Case c) {
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
            INDArray java = inferenceWith(fast.getLayer(0), x, "java");
            INDArray op = inferenceWith(fast.getLayer(0), x, "native");
            assertClose("Java kernel against DL4J, batch " + batch, expected, java, TOLERANCE);
            assertClose("conv2d op against DL4J, batch " + batch, expected, op, TOLERANCE);
            assertClose("input unchanged", xCopy, x, 0.0);
            ConvolutionInference kernels = ((FastConvolutionLayerImpl) fast.getLayer(0)).inferenceKernels();
            if (c.dilation()[0] == 1) {
                assertEquals(1, kernels.compilations(), "the Java kernel ran");
            } else {
                assertNull(kernels, "a dilated kernel never takes the Java path");
            }
        }
    }

    @Test
    void everyKindOfWeightChangeRecompilesTheKernel() {
        MultiLayerNetwork fast = network(new FastConvolutionLayer.Builder(3, 3).nOut(OUT_CHANNELS).hasBias(true)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build(), 6, 6);
        Layer layer = fast.getLayer(0);
        INDArray x = gaussian(41, 2, IN_CHANNELS, 6, 6);
        INDArray first = inferenceWith(layer, x, "java");
        INDArray again = inferenceWith(layer, x, "java");
        assertClose("unchanged weights: same output", first, again, 0.0);
        assertEquals(1, kernels(layer).compilations(), "unchanged weights compile nothing");

        layer.getParam("W").muli(-0.5);
        assertFollowsTheOp(layer, x, "in-place edit of the weights", 2);
        layer.getParam("b").addi(0.75);
        assertFollowsTheOp(layer, x, "in-place edit of the bias", 3);
        layer.getParam("W").putScalar(new long[] {1, 2, 0, 1}, 3.0);
        assertFollowsTheOp(layer, x, "one weight changed", 4);
        fast.setParams(gaussian(42, 1, fast.numParams()));
        assertFollowsTheOp(layer, x, "setParams", 5);
        assertTrue(maxDifference(first, inferenceWith(layer, x, "java")) > 0.1, "the changes changed the output");
    }

    @Test
    void trainingStepsAreSeenByTheNextInferenceCall() {
        MultiLayerNetwork net = new MultiLayerNetwork(FastLayers.withFastLayers(TinyNetworks.stack(
                WorkspaceMode.ENABLED, DataType.FLOAT, new Sgd(0.5), Activation.RELU, 4)));
        net.init();
        DataSet data = TinyNetworks.data(51, 4, DataType.FLOAT);
        for (int step = 0; step < 3; step++) {
            System.setProperty(ConvolutionInference.PROPERTY, "java");
            INDArray java = net.output(data.getFeatures(), false).dup();
            System.setProperty(ConvolutionInference.PROPERTY, "native");
            INDArray op = net.output(data.getFeatures(), false).dup();
            assertClose("network output after " + step + " training steps", op, java, TOLERANCE);
            assertEquals(step + 1, kernels(net.getLayer(0)).compilations(), "recompiled after each step");
            net.fit(data);
        }
    }

    @Test
    void measuredChoiceGivesTheOpsOutputAndLargeCallsAreNotTimed() {
        MultiLayerNetwork small = network(new FastConvolutionLayer.Builder(3, 3).nOut(OUT_CHANNELS)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build(), 8, 8);
        INDArray x = gaussian(61, 1, IN_CHANNELS, 8, 8);
        INDArray op = inferenceWith(small.getLayer(0), x, "native");
        for (int call = 0; call < 4; call++) {
            assertClose("measured choice, call " + call, op, inferenceWith(small.getLayer(0), x, "measured"),
                    TOLERANCE);
        }
        assertNotNull(kernels(small.getLayer(0)), "the choice was measured");

        // 64 x 16 x 9 x 64 x 64 = 37.7 M multiply-adds per call, above MAX_MEASURED_MACS
        MultiLayerNetwork large = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.FLOAT).list().layer(new FastConvolutionLayer.Builder(3, 3).nOut(64)
                        .convolutionMode(ConvolutionMode.Same).build())
                .setInputType(InputType.convolutional(64, 64, 16)).build());
        large.init();
        INDArray big = gaussian(62, 1, 16, 64, 64);
        INDArray bigOp = inferenceWith(large.getLayer(0), big, "native");
        assertClose("large call", bigOp, inferenceWith(large.getLayer(0), big, "measured"), TOLERANCE);
        assertEquals(0, kernels(large.getLayer(0)).compilations(), "a large call runs the op without timing");
    }

    @Test
    void byDefaultEveryCallRunsTheOpSoOutputsDoNotDependOnTiming() {
        MultiLayerNetwork small = network(new FastConvolutionLayer.Builder(3, 3).nOut(OUT_CHANNELS)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build(), 8, 8);
        INDArray x = gaussian(63, 1, IN_CHANNELS, 8, 8);
        INDArray first = inference(small.getLayer(0), x);
        for (int call = 0; call < 4; call++) {
            INDArray again = inference(small.getLayer(0), x);
            assertEquals(0.0, maxDifference(first, again), "call " + call + " is bit-identical to the first");
        }
        ConvolutionInference kernels = kernels(small.getLayer(0));
        assertTrue(kernels == null || kernels.compilations() == 0, "the default never compiles the Java kernel");
    }

    @Test
    void anUnknownChoiceIsRejectedNamingTheProperty() {
        MultiLayerNetwork fast = network(new FastConvolutionLayer.Builder(3, 3).nOut(OUT_CHANNELS).build(), 5, 5);
        System.setProperty(ConvolutionInference.PROPERTY, "fastest");
        INDArray x = gaussian(71, 1, IN_CHANNELS, 5, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fast.getLayer(0).activate(x, false, LayerWorkspaceMgr.noWorkspaces()));
        assertTrue(e.getMessage().contains(ConvolutionInference.PROPERTY) && e.getMessage().contains("'fastest'"),
                e.getMessage());
    }

    private static void assertFollowsTheOp(Layer layer, INDArray x, String change, long compilations) {
        INDArray java = inferenceWith(layer, x, "java");
        INDArray op = inferenceWith(layer, x, "native");
        assertClose(change + ": Java kernel against the op", op, java, TOLERANCE);
        assertEquals(compilations, kernels(layer).compilations(), change + ": recompiled once");
    }

    private static ConvolutionInference kernels(Layer layer) {
        return ((FastConvolutionLayerImpl) layer).inferenceKernels();
    }

    private static INDArray inferenceWith(Layer layer, INDArray x, String choice) {
        return ConvolutionNets.inferenceWith(ConvolutionInference.PROPERTY, layer, x, choice);
    }
}
