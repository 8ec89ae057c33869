package org.rpg4j.dl4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rpg4j.dl4j.layers.ConvolutionNets.configure;
import static org.rpg4j.dl4j.layers.TestArrays.FLOAT_TOLERANCE;
import static org.rpg4j.dl4j.layers.TestArrays.assertClose;
import static org.rpg4j.dl4j.layers.TestArrays.gaussian;

import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.conf.weightnoise.DropConnect;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/** FastConvolutionLayer against DL4J's ConvolutionLayer, one configuration per case. */
class FastConvolutionLayerTest {

    private static final int BATCH = 2;
    private static final int IN_CHANNELS = ConvolutionNets.IN_CHANNELS;
    private static final int OUT_CHANNELS = ConvolutionNets.OUT_CHANNELS;

    /** One layer configuration, on an input of {@code [BATCH, IN_CHANNELS, height, width]}. */
    record Case(String name, int[] kernel, int[] stride, int[] padding, int[] dilation,
                ConvolutionMode mode, boolean bias, Activation activation, int height, int width) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        int[] one = {1, 1};
        int[] two = {2, 2};
        int[] none = {0, 0};
        return Stream.of(
                new Case("3x3 stride 1 same, bias", new int[] {3, 3}, one, none, one, ConvolutionMode.Same, true,
                        Activation.IDENTITY, 7, 6),
                new Case("3x3 stride 2 same, no bias", new int[] {3, 3}, two, none, one, ConvolutionMode.Same, false,
                        Activation.IDENTITY, 8, 8),
                new Case("3x3 stride 2 same, odd input, bias", new int[] {3, 3}, two, none, one, ConvolutionMode.Same,
                        true, Activation.IDENTITY, 7, 5),
                new Case("1x1 stride 1 truncate, bias", one, one, none, one, ConvolutionMode.Truncate, true,
                        Activation.IDENTITY, 5, 6),
                new Case("1x1 stride 2 truncate, no bias", one, two, none, one, ConvolutionMode.Truncate, false,
                        Activation.IDENTITY, 8, 8),
                new Case("1x1 stride 2 same, no bias", one, two, none, one, ConvolutionMode.Same, false,
                        Activation.IDENTITY, 8, 7),
                new Case("3x3 stride 1 truncate padding 1, bias", new int[] {3, 3}, one, one, one,
                        ConvolutionMode.Truncate, true, Activation.IDENTITY, 6, 7),
                new Case("3x3 stride 2 truncate padding 1, no bias", new int[] {3, 3}, two, one, one,
                        ConvolutionMode.Truncate, false, Activation.IDENTITY, 8, 8),
                new Case("3x3 stride 2 truncate no padding, bias", new int[] {3, 3}, two, none, one,
                        ConvolutionMode.Truncate, true, Activation.IDENTITY, 8, 7),
                new Case("2x3 stride (1,2) truncate padding (1,0), bias", new int[] {2, 3}, new int[] {1, 2},
                        new int[] {1, 0}, one, ConvolutionMode.Truncate, true, Activation.IDENTITY, 6, 7),
                new Case("3x3 dilation 2 same, bias", new int[] {3, 3}, one, none, two, ConvolutionMode.Same, true,
                        Activation.IDENTITY, 7, 7),
                new Case("3x3 stride 1 same, bias, relu", new int[] {3, 3}, one, none, one, ConvolutionMode.Same,
                        true, Activation.RELU, 6, 6),
                new Case("3x3 stride 1 same, no bias, tanh", new int[] {3, 3}, one, none, one, ConvolutionMode.Same,
                        false, Activation.TANH, 5, 5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardAndAllGradientsMatchDl4j(Case c) {
        MultiLayerNetwork standard = network(configure(new ConvolutionLayer.Builder(), c).build(), c);
        MultiLayerNetwork fast = network(configure(new FastConvolutionLayer.Builder(), c).build(), c);
        assertEquals(standard.numParams(), fast.numParams(), "parameter count");
        INDArray params = gaussian(11, 1, standard.numParams()).muli(0.5);
        standard.setParams(params);
        fast.setParams(params);
        INDArray x = gaussian(12, BATCH, IN_CHANNELS, c.height(), c.width());
        INDArray xCopy = x.dup();

        Layer s = standard.getLayer(0);
        Layer f = fast.getLayer(0);
        INDArray expectedOut = s.activate(x, true, LayerWorkspaceMgr.noWorkspaces()).dup();
        INDArray actualOut = f.activate(x, true, LayerWorkspaceMgr.noWorkspaces()).dup();
        assertClose("output", expectedOut, actualOut, FLOAT_TOLERANCE);

        INDArray epsilon = gaussian(13, expectedOut.shape());
        Pair<Gradient, INDArray> expected = s.backpropGradient(epsilon.dup(), LayerWorkspaceMgr.noWorkspaces());
        Pair<Gradient, INDArray> actual = f.backpropGradient(epsilon.dup(), LayerWorkspaceMgr.noWorkspaces());
        assertClose("input gradient", expected.getSecond(), actual.getSecond(), FLOAT_TOLERANCE);
        assertClose("W gradient", expected.getFirst().getGradientFor("W"), actual.getFirst().getGradientFor("W"),
                FLOAT_TOLERANCE);
        if (c.bias()) {
            assertClose("b gradient", expected.getFirst().getGradientFor("b"), actual.getFirst().getGradientFor("b"),
                    FLOAT_TOLERANCE);
        }
        assertEquals(expected.getFirst().gradientForVariable().keySet(),
                actual.getFirst().gradientForVariable().keySet(), "gradient keys");
        assertClose("input after forward and backward", xCopy, x, 0.0);
        // oneDNN is on the test class path: every undilated case ran the direct primitives, dilated ones libnd4j
        boolean dilated = c.dilation()[0] != 1 || c.dilation()[1] != 1;
        assertEquals(!dilated, ((FastConvolutionLayerImpl) f).usesOneDnn(), "direct oneDNN path used");
    }

    @Test
    void inputDropoutAndDropConnectMatchDl4jForTheSameRandomState() {
        Case c = cases().findFirst().orElseThrow();
        MultiLayerNetwork standard = network(configure(new ConvolutionLayer.Builder(), c).dropOut(0.7)
                .weightNoise(new DropConnect(0.8)).build(), c);
        MultiLayerNetwork fast = network(configure(new FastConvolutionLayer.Builder(), c).dropOut(0.7)
                .weightNoise(new DropConnect(0.8)).build(), c);
        fast.setParams(standard.params());
        INDArray x = gaussian(15, BATCH, IN_CHANNELS, c.height(), c.width());
        INDArray epsilon = gaussian(16, BATCH, OUT_CHANNELS, c.height(), c.width());
        Nd4j.getRandom().setSeed(17);
        INDArray expectedOut = standard.getLayer(0).activate(x.dup(), true, LayerWorkspaceMgr.noWorkspaces()).dup();
        Pair<Gradient, INDArray> expected = standard.getLayer(0).backpropGradient(epsilon.dup(),
                LayerWorkspaceMgr.noWorkspaces());
        Nd4j.getRandom().setSeed(17);
        INDArray actualOut = fast.getLayer(0).activate(x.dup(), true, LayerWorkspaceMgr.noWorkspaces()).dup();
        Pair<Gradient, INDArray> actual = fast.getLayer(0).backpropGradient(epsilon.dup(),
                LayerWorkspaceMgr.noWorkspaces());
        assertClose("output with dropout", expectedOut, actualOut, FLOAT_TOLERANCE);
        assertClose("input gradient with dropout", expected.getSecond(), actual.getSecond(), FLOAT_TOLERANCE);
        assertClose("W gradient with DropConnect", expected.getFirst().getGradientFor("W"),
                actual.getFirst().getGradientFor("W"), FLOAT_TOLERANCE);
    }

    /**
     * The L2 part of the score, summed in Java by the fast layer, equals DL4J's {@code norm2}-based value (up to
     * float rounding), and with {@code rpg4j.hostAccess=generic} it is DL4J's computation.
     */
    @Test
    void regularizationScoreMatchesDl4j() {
        Case c = cases().findFirst().orElseThrow();
        MultiLayerNetwork standard = l2Network(configure(new ConvolutionLayer.Builder(), c).build(), c);
        MultiLayerNetwork fast = l2Network(configure(new FastConvolutionLayer.Builder(), c).build(), c);
        INDArray params = gaussian(14, 1, standard.numParams());
        standard.setParams(params);
        fast.setParams(params);
        double expected = standard.calcRegularizationScore(true);
        double w = standard.getParam("0_W").castTo(DataType.DOUBLE).norm2Number().doubleValue();
        assertEquals(0.5 * 5e-4 * w * w, expected, 1e-6 * expected, "DL4J's score is 0.5 l2 |W|^2 (no bias term)");
        assertEquals(expected, fast.calcRegularizationScore(true), 1e-6 * expected, "Java-loop score");
        System.setProperty(org.rpg4j.tensor.HostAccess.PROPERTY, "generic");
        try {
            assertEquals(expected, fast.calcRegularizationScore(true), 1e-6 * expected, "generic route");
        } finally {
            System.clearProperty(org.rpg4j.tensor.HostAccess.PROPERTY);
        }
    }

    private static MultiLayerNetwork l2Network(org.deeplearning4j.nn.conf.layers.Layer layer, Case c) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.FLOAT).updater(new Sgd(0.1)).l2(5e-4).list().layer(layer)
                .setInputType(InputType.convolutional(c.height(), c.width(), IN_CHANNELS)).build());
        net.init();
        return net;
    }

    @Test
    void weightsKeepDl4jShapeAndOrder() {
        Case c = cases().findFirst().orElseThrow();
        MultiLayerNetwork fast = network(configure(new FastConvolutionLayer.Builder(), c).build(), c);
        INDArray w = fast.getLayer(0).getParam("W");
        assertEquals('c', w.ordering());
        assertEquals(java.util.List.of(4L, 3L, 3L, 3L), java.util.Arrays.stream(w.shape()).boxed().toList());
        assertTrue(fast.getLayer(0).conf().getLayer() instanceof ConvolutionLayer, "is a ConvolutionLayer config");
    }

    @Test
    void builderRejectsBadSettingsNamingThem() {
        IllegalArgumentException kernel = assertThrows(IllegalArgumentException.class,
                () -> new FastConvolutionLayer.Builder(0, 3));
        assertTrue(kernel.getMessage().contains("kernelSize"), kernel.getMessage());
        IllegalArgumentException stride = assertThrows(IllegalArgumentException.class,
                () -> new FastConvolutionLayer.Builder(3, 3).stride(1, 2, 3));
        assertTrue(stride.getMessage().contains("stride"), stride.getMessage());
        IllegalArgumentException padding = assertThrows(IllegalArgumentException.class,
                () -> new FastConvolutionLayer.Builder(3, 3).padding(1, 1).convolutionMode(ConvolutionMode.Same)
                        .nOut(2).build());
        assertTrue(padding.getMessage().contains("padding"), padding.getMessage());
        IllegalArgumentException from = assertThrows(IllegalArgumentException.class,
                () -> FastConvolutionLayer.from(new Deconvolution2D.Builder(3, 3).nOut(2).build()));
        assertTrue(from.getMessage().contains("Deconvolution2D"), from.getMessage());
    }

    @Test
    void nhwcInputIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NeuralNetConfiguration.Builder().list()
                        .layer(new FastConvolutionLayer.Builder(3, 3).nOut(2).build())
                        .setInputType(InputType.convolutional(5, 5, 3, CNN2DFormat.NHWC)).build());
        assertTrue(e.getMessage().contains("NCHW"), e.getMessage());
    }

    @Test
    void wrongInputChannelsAreRejected() {
        Case c = cases().findFirst().orElseThrow();
        MultiLayerNetwork fast = network(configure(new FastConvolutionLayer.Builder(), c).build(), c);
        INDArray wrong = gaussian(14, BATCH, IN_CHANNELS + 1, c.height(), c.width());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fast.getLayer(0).activate(wrong, false, LayerWorkspaceMgr.noWorkspaces()));
        assertTrue(e.getMessage().contains("[2, 4, 7, 6]"), e.getMessage());
    }

    private static MultiLayerNetwork network(org.deeplearning4j.nn.conf.layers.Layer layer, Case c) {
        MultiLayerNetwork net = ConvolutionNets.network(layer, c.height(), c.width());
        net.initGradientsView();
        return net;
    }
}
