package org.rpg4j.dl4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rpg4j.dl4j.layers.TestArrays.assertClose;
import static org.rpg4j.dl4j.layers.TestArrays.gaussian;

import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** FastActivationLayer against DL4J's ActivationLayer: bit-identical values, input untouched. */
class FastActivationLayerTest {

    static Stream<IActivation> activations() {
        return Stream.of(Activation.RELU.getActivationFunction(), new ActivationReLU(6.0, null, null),
                Activation.TANH.getActivationFunction(), Activation.LEAKYRELU.getActivationFunction());
    }

    @ParameterizedTest
    @MethodSource("activations")
    void forwardAndInputGradientEqualDl4j(IActivation activation) {
        Layer standard = layer(new ActivationLayer(activation));
        Layer fast = layer(new FastActivationLayer(activation));
        INDArray x = gaussian(31, 3, 4, 5, 5);
        x.putScalar(new long[] {0, 0, 0, 0}, 0.0); // ReLU's kink: derivative 0 in both
        INDArray xCopy = x.dup();
        INDArray expectedOut = standard.activate(x.dup(), true, LayerWorkspaceMgr.noWorkspaces()).dup();
        INDArray actualOut = fast.activate(x, true, LayerWorkspaceMgr.noWorkspaces()).dup();
        assertClose("output", expectedOut, actualOut, 0.0);
        INDArray epsilon = gaussian(32, x.shape());
        Pair<Gradient, INDArray> expected = standard.backpropGradient(epsilon.dup(), LayerWorkspaceMgr.noWorkspaces());
        INDArray fastEpsilon = epsilon.dup();
        Pair<Gradient, INDArray> actual = fast.backpropGradient(fastEpsilon, LayerWorkspaceMgr.noWorkspaces());
        assertClose("input gradient", expected.getSecond(), actual.getSecond(), 0.0);
        assertClose("output gradient after backward", epsilon, fastEpsilon, 0.0);
        assertClose("input after forward and backward", xCopy, x, 0.0);
    }

    @Test
    void javaLoopBackwardEqualsDl4jAndTheOpRouteOnLargeInputs() {
        // 4 x 16 x 32 x 32 = 65,536 elements: the size at which the backward pass takes the Java loop
        Layer standard = layer(new ActivationLayer(Activation.RELU), 32, 16);
        Layer fast = layer(new FastActivationLayer(Activation.RELU), 32, 16);
        INDArray x = gaussian(41, 4, 16, 32, 32);
        x.putScalar(new long[] {1, 2, 3, 4}, 0.0);
        // the loop's branch-free mask at the edges of "x > 0"
        float[] special = {-0.0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.NaN, Float.MAX_VALUE, -Float.MAX_VALUE};
        for (int i = 0; i < special.length; i++) {
            x.putScalar(new long[] {2, i, 5, 6}, special[i]);
        }
        INDArray epsilon = gaussian(42, x.shape());
        standard.activate(x.dup(), true, LayerWorkspaceMgr.noWorkspaces());
        INDArray expected = standard.backpropGradient(epsilon.dup(), LayerWorkspaceMgr.noWorkspaces()).getSecond();
        fast.activate(x, true, LayerWorkspaceMgr.noWorkspaces());
        INDArray loop = fast.backpropGradient(epsilon, LayerWorkspaceMgr.noWorkspaces()).getSecond().dup();
        assertClose("Java loop against DL4J", expected, loop, 0.0);
        try {
            System.setProperty(FastActivationLayerImpl.LOOPS_PROPERTY, "libnd4j");
            INDArray op = fast.backpropGradient(epsilon, LayerWorkspaceMgr.noWorkspaces()).getSecond().dup();
            assertClose("relu_bp op against the Java loop", op, loop, 0.0);
            System.setProperty(FastActivationLayerImpl.LOOPS_PROPERTY, "fast");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> fast.backpropGradient(epsilon, LayerWorkspaceMgr.noWorkspaces()));
            assertTrue(e.getMessage().contains(FastActivationLayerImpl.LOOPS_PROPERTY) && e.getMessage().contains(
                    "fast"),
                    e.getMessage());
        } finally {
            System.clearProperty(FastActivationLayerImpl.LOOPS_PROPERTY);
        }
        assertEquals(0.0, loop.getDouble(1, 2, 3, 4), 0.0, "derivative 0 at the kink");
        assertTrue(loop.eq(0.0).castTo(DataType.INT32).sumNumber().intValue() > 30_000, "about half masked");
    }

    @Test
    void fromCopiesTheActivationAndRejectsSubclasses() {
        FastActivationLayer fast = FastActivationLayer.from(new ActivationLayer(Activation.RELU));
        assertSame(ActivationReLU.class, fast.getActivationFn().getClass());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FastActivationLayer.from(new FastActivationLayer(Activation.RELU)));
        assertTrue(e.getMessage().contains("FastActivationLayer"), e.getMessage());
    }

    private static Layer layer(ActivationLayer conf) {
        return layer(conf, 5, 4);
    }

    private static Layer layer(ActivationLayer conf, int size, int channels) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .list().layer(conf).setInputType(InputType.convolutional(size, size, channels)).build());
        net.init();
        return net.getLayer(0);
    }
}
