package org.rpg4j.dl4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rpg4j.dl4j.layers.TestArrays.FLOAT_TOLERANCE;
import static org.rpg4j.dl4j.layers.TestArrays.assertClose;
import static org.rpg4j.dl4j.layers.TestArrays.gaussian;

import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.rpg4j.dl4j.layers.onednn.OneDnn;

/**
 * The training passes of {@link FastBatchNormalizationImpl} on oneDNN's batch-normalisation primitives against its
 * Java loops (system property {@value FastBatchNormalizationImpl#ONEDNN_PROPERTY} {@code java}) and DL4J's
 * {@link BatchNormalization}: outputs, input and parameter gradients and running-statistics updates, with and without
 * the fused ReLU, over the eps, decay, log-std and locked gamma/beta settings; the route actually taken; several
 * training steps of a network; the switch's bad value.
 */
class BatchNormOneDnnTest {

    private static final int CHANNELS = 5;

    @AfterEach
    void clearProperties() {
        System.clearProperty(FastBatchNormalizationImpl.ONEDNN_PROPERTY);
        System.clearProperty(ReluFusion.PROPERTY);
        System.clearProperty(FastBatchNormalizationImpl.LAYOUT_PROPERTY);
    }

    /** One layer configuration; input {@code [4, CHANNELS, 6, 7]}. */
    record Case(String name, boolean useLogStd, boolean lockGammaBeta, double decay, double eps, boolean relu) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("log10 std", true, false, 0.9, 1e-5, false),
                new Case("variance", false, false, 0.9, 1e-5, false),
                new Case("decay 0.5, eps 1e-3", true, false, 0.5, 1e-3, false),
                new Case("locked gamma 2 beta 0.5", false, true, 0.9, 1e-5, false),
                new Case("fused ReLU, log10 std", true, false, 0.9, 1e-5, true),
                new Case("fused ReLU, locked, eps 1e-2", false, true, 0.7, 1e-2, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oneDnnMatchesTheJavaLoopsAndDl4j(Case c) {
        assertTrue(OneDnn.available(), "org.bytedeco:dnnl with its linux-x86_64 natives is a test dependency");
        MultiLayerNetwork standard = network(configure(new BatchNormalization.Builder(), c).build());
        FastBatchNormalization fastConf = (FastBatchNormalization) configure(new FastBatchNormalization.Builder(), c)
                .build();
        fastConf.setRectifyOutput(c.relu());
        MultiLayerNetwork fast = network(fastConf);
        BatchNormNets.randomizeParams(standard, c.useLogStd(), c.lockGammaBeta(), 33);
        fast.setParams(standard.params());
        INDArray x = gaussian(31, 4, CHANNELS, 6, 7).muli(2.0).addi(1.0);
        INDArray epsilon = gaussian(32, x.shape());
        Layer s = standard.getLayer(0);
        FastBatchNormalizationImpl f = (FastBatchNormalizationImpl) fast.getLayer(0);

        INDArray expectedOut = s.activate(x, true, LayerWorkspaceMgr.noWorkspaces()).dup();
        if (c.relu()) {
            expectedOut = Transforms.relu(expectedOut, true);
        }
        // the ReLU's backward masks the gradient before it reaches the batch norm: the same epsilon to both layers
        Pair<Gradient, INDArray> expected = s.backpropGradient(epsilon.dup(), LayerWorkspaceMgr.noWorkspaces());

        System.setProperty(FastBatchNormalizationImpl.ONEDNN_PROPERTY, "java");
        INDArray javaOut = f.activate(x, true, LayerWorkspaceMgr.noWorkspaces()).dup();
        Pair<Gradient, INDArray> java = f.backpropGradient(epsilon.dup(), LayerWorkspaceMgr.noWorkspaces());
        java = BatchNormNets.copy(java);
        assertEquals(0, f.oneDnnPasses(), "property java: the Java loops");

        int passes = 0;
        for (String layout : new String[] {"blocked", "plain"}) {
            System.setProperty(FastBatchNormalizationImpl.ONEDNN_PROPERTY, "onednn");
            System.setProperty(FastBatchNormalizationImpl.LAYOUT_PROPERTY, layout);
            INDArray oneDnnOut = f.activate(x, true, LayerWorkspaceMgr.noWorkspaces()).dup();
            Pair<Gradient, INDArray> oneDnn = f.backpropGradient(epsilon.dup(), LayerWorkspaceMgr.noWorkspaces());
            passes += 2;
            assertEquals(passes, f.oneDnnPasses(), layout + ": forward and backward on oneDNN");

            assertClose(layout + " output against the Java loops", javaOut, oneDnnOut, FLOAT_TOLERANCE);
            assertClose(layout + " output against DL4J", expectedOut, oneDnnOut, FLOAT_TOLERANCE);
            if (c.relu()) {
                assertEquals(0.0, oneDnnOut.minNumber().doubleValue(), 0.0, "rectified");
            }
            assertClose(layout + " input gradient against the Java loops", java.getSecond(), oneDnn.getSecond(),
                    FLOAT_TOLERANCE);
            assertClose(layout + " input gradient against DL4J", expected.getSecond(), oneDnn.getSecond(),
                    FLOAT_TOLERANCE);
            assertEquals(f.paramTable().keySet(), oneDnn.getFirst().gradientForVariable().keySet(), "gradient keys");
            for (String key : oneDnn.getFirst().gradientForVariable().keySet()) {
                INDArray actual = oneDnn.getFirst().getGradientFor(key);
                assertClose(layout + " " + key + " gradient against the Java loops",
                        java.getFirst().getGradientFor(key), actual, FLOAT_TOLERANCE);
                assertClose(layout + " " + key + " gradient against DL4J", expected.getFirst().getGradientFor(key),
                        actual, FLOAT_TOLERANCE);
            }
        }
    }

    @Test
    void trainingStepsOnOneDnnMatchTheJavaLoopsWithAndWithoutFusedRelu() {
        for (String fuse : new String[] {"true", "false"}) {
            System.setProperty(ReluFusion.PROPERTY, fuse);
            MultiLayerConfiguration conf = FastLayers.withFastLayers(TinyNetworks.stack(WorkspaceMode.ENABLED,
                    DataType.FLOAT, new Nesterovs(0.05, 0.9), Activation.RELU, 4));
            MultiLayerNetwork loops = new MultiLayerNetwork(conf);
            MultiLayerNetwork primitives = new MultiLayerNetwork(conf.clone());
            loops.init();
            primitives.init();
            primitives.setParams(loops.params());
            INDArray before = loops.params().dup();
            DataSet data = TinyNetworks.data(9, 8, DataType.FLOAT);
            for (int i = 0; i < 4; i++) {
                System.setProperty(FastBatchNormalizationImpl.ONEDNN_PROPERTY, "java");
                loops.fit(data);
                System.setProperty(FastBatchNormalizationImpl.ONEDNN_PROPERTY, "onednn");
                primitives.fit(data);
            }
            assertNotEquals(0.0, before.sub(loops.params()).amaxNumber().doubleValue(), "training moved params");
            // params include each batch norm's running mean and log10 std, updated at every step
            assertClose("params after 4 steps, fuseRelu " + fuse, loops.params(), primitives.params(), 1e-3);
            FastBatchNormalizationImpl norm = (FastBatchNormalizationImpl) primitives.getLayer(1);
            assertEquals(8, norm.oneDnnPasses(), "4 forward and 4 backward passes on oneDNN, fuseRelu " + fuse);
            assertEquals(0, ((FastBatchNormalizationImpl) loops.getLayer(1)).oneDnnPasses(), "fuseRelu " + fuse);
        }
    }

    @Test
    void denseInputTakesTheJavaRoute() {
        BatchNormalization conf = new FastBatchNormalization.Builder().nOut(CHANNELS).build();
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .list().layer(conf).setInputType(InputType.feedForward(CHANNELS)).build());
        net.init();
        FastBatchNormalizationImpl f = (FastBatchNormalizationImpl) net.getLayer(0);
        INDArray out = f.activate(gaussian(3, 6, CHANNELS), true, LayerWorkspaceMgr.noWorkspaces());
        assertSame(DataType.FLOAT, out.dataType());
        assertEquals(0, f.oneDnnPasses());
    }

    @Test
    void rejectsAnUnknownPropertyValue() {
        System.setProperty(FastBatchNormalizationImpl.ONEDNN_PROPERTY, "dnnl");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                FastBatchNormalizationImpl::oneDnnSwitchedOn);
        assertTrue(e.getMessage().contains(FastBatchNormalizationImpl.ONEDNN_PROPERTY), e.getMessage());
        assertTrue(e.getMessage().contains("'onednn' or 'java', got 'dnnl'"), e.getMessage());
        System.clearProperty(FastBatchNormalizationImpl.ONEDNN_PROPERTY);
        assertEquals(true, FastBatchNormalizationImpl.oneDnnSwitchedOn(), "the oneDNN primitives by default");
        System.setProperty(FastBatchNormalizationImpl.ONEDNN_PROPERTY, "onednn");
        System.setProperty(FastBatchNormalizationImpl.LAYOUT_PROPERTY, "nchw");
        MultiLayerNetwork net = network(new FastBatchNormalization.Builder().build());
        INDArray x = gaussian(3, 2, CHANNELS, 6, 7);
        IllegalArgumentException layout = assertThrows(IllegalArgumentException.class,
                () -> net.getLayer(0).activate(x, true, LayerWorkspaceMgr.noWorkspaces()));
        assertTrue(layout.getMessage().contains(FastBatchNormalizationImpl.LAYOUT_PROPERTY + " must be 'blocked' or "
                + "'plain', got 'nchw'"), layout.getMessage());
    }

    private static BatchNormalization.Builder configure(BatchNormalization.Builder builder, Case c) {
        return BatchNormNets.configure(builder, c.useLogStd(), c.lockGammaBeta()).decay(c.decay()).eps(c.eps());
    }

    private static MultiLayerNetwork network(BatchNormalization layer) {
        return BatchNormNets.network(layer, InputType.convolutional(6, 7, CHANNELS));
    }
}
