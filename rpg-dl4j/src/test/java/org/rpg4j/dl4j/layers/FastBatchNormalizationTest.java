package org.rpg4j.dl4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rpg4j.dl4j.layers.TestArrays.FLOAT_TOLERANCE;
import static org.rpg4j.dl4j.layers.TestArrays.assertClose;
import static org.rpg4j.dl4j.layers.TestArrays.gaussian;

import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

/** FastBatchNormalization against DL4J's BatchNormalization, one configuration per case. */
class FastBatchNormalizationTest {

    private static final int CHANNELS = 4;

    /** One configuration; {@code dense} means input {@code [5, CHANNELS]}, else {@code [3, CHANNELS, 5, 6]}. */
    record Case(String name, boolean dense, boolean training, boolean useLogStd, boolean lockGammaBeta,
                double decay, double eps) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("NCHW training, log10 std", false, true, true, false, 0.9, 1e-5),
                new Case("NCHW training, variance", false, true, false, false, 0.9, 1e-5),
                new Case("NCHW training, decay 0.5, eps 1e-3", false, true, true, false, 0.5, 1e-3),
                new Case("NCHW training, locked gamma 2 beta 0.5", false, true, true, true, 0.9, 1e-5),
                new Case("dense training, variance", true, true, false, false, 0.9, 1e-5),
                new Case("NCHW inference, log10 std", false, false, true, false, 0.9, 1e-5),
                new Case("NCHW inference, variance", false, false, false, false, 0.9, 1e-5),
                new Case("dense inference, log10 std", true, false, true, false, 0.9, 1e-5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardGradientsAndRunningStatisticsMatchDl4j(Case c) {
        MultiLayerNetwork standard = network(configure(new BatchNormalization.Builder(), c).build(), c);
        MultiLayerNetwork fast = network(configure(new FastBatchNormalization.Builder(), c).build(), c);
        assertEquals(standard.paramTable().keySet(), fast.paramTable().keySet(), "parameter keys");
        BatchNormNets.randomizeParams(standard, c.useLogStd(), c.lockGammaBeta(), 23);
        fast.setParams(standard.params());
        INDArray x = c.dense() ? gaussian(21, 5, CHANNELS) : gaussian(21, 3, CHANNELS, 5, 6);
        x.muli(2.0).addi(1.0);
        INDArray xCopy = x.dup();

        Layer s = standard.getLayer(0);
        Layer f = fast.getLayer(0);
        INDArray expectedOut = s.activate(x, c.training(), LayerWorkspaceMgr.noWorkspaces()).dup();
        INDArray actualOut = f.activate(x, c.training(), LayerWorkspaceMgr.noWorkspaces()).dup();
        assertClose("output", expectedOut, actualOut, FLOAT_TOLERANCE);
        if (!c.training()) {
            return;
        }
        INDArray epsilon = gaussian(22, x.shape());
        Pair<Gradient, INDArray> expected = s.backpropGradient(epsilon.dup(), LayerWorkspaceMgr.noWorkspaces());
        Pair<Gradient, INDArray> actual = f.backpropGradient(epsilon.dup(), LayerWorkspaceMgr.noWorkspaces());
        assertClose("input gradient", expected.getSecond(), actual.getSecond(), FLOAT_TOLERANCE);
        // One gradient per parameter. (With locked gamma/beta DL4J also returns gamma and beta
        // gradients of parameters that do not exist; nothing reads them.)
        assertEquals(f.paramTable().keySet(), actual.getFirst().gradientForVariable().keySet(), "gradient keys");
        for (String key : actual.getFirst().gradientForVariable().keySet()) {
            assertClose(key + " gradient", expected.getFirst().getGradientFor(key),
                    actual.getFirst().getGradientFor(key), FLOAT_TOLERANCE);
        }
        assertClose("input after forward and backward", xCopy, x, 0.0);
    }

    @Test
    void runningStatisticsAreNotDividedByTheMinibatch() {
        Case c = cases().findFirst().orElseThrow();
        Layer fast = network(configure(new FastBatchNormalization.Builder(), c).build(), c).getLayer(0);
        assertEquals(false, fast.updaterDivideByMinibatch("mean"));
        assertEquals(false, fast.updaterDivideByMinibatch("log10stdev"));
        assertEquals(true, fast.updaterDivideByMinibatch("gamma"));
    }

    @Test
    void badSettingsAreRejectedNamingThem() {
        IllegalArgumentException decay = assertThrows(IllegalArgumentException.class,
                () -> new FastBatchNormalization.Builder().decay(1.5).nOut(2).build());
        assertTrue(decay.getMessage().contains("decay must be in [0, 1], got 1.5"), decay.getMessage());
        IllegalArgumentException eps = assertThrows(IllegalArgumentException.class,
                () -> new FastBatchNormalization.Builder().eps(-1).nOut(2).build());
        assertTrue(eps.getMessage().contains("eps"), eps.getMessage());
        IllegalArgumentException nhwc = assertThrows(IllegalArgumentException.class,
                () -> new NeuralNetConfiguration.Builder().list().layer(new FastBatchNormalization.Builder().build())
                        .setInputType(InputType.convolutional(5, 5, 3, CNN2DFormat.NHWC)).build());
        assertTrue(nhwc.getMessage().contains("NCHW"), nhwc.getMessage());
        IllegalArgumentException rnn = assertThrows(IllegalArgumentException.class,
                () -> new FastBatchNormalization.Builder().nOut(3).build().getOutputType(0, InputType.recurrent(3)));
        assertTrue(rnn.getMessage().contains("CNN, CNNFlat or FF"), rnn.getMessage());
    }

    private static BatchNormalization.Builder configure(BatchNormalization.Builder builder, Case c) {
        return BatchNormNets.configure(builder, c.useLogStd(), c.lockGammaBeta()).decay(c.decay()).eps(c.eps());
    }

    private static MultiLayerNetwork network(BatchNormalization layer, Case c) {
        return BatchNormNets.network(layer, c.dense() ? InputType.feedForward(CHANNELS)
                : InputType.convolutional(5, 6, CHANNELS));
    }
}
