package org.rpg4j.dl4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rpg4j.dl4j.layers.TestArrays.FLOAT_TOLERANCE;
import static org.rpg4j.dl4j.layers.TestArrays.assertClose;
import static org.rpg4j.dl4j.layers.TestArrays.gaussian;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.rpg4j.dl4j.layers.onednn.OneDnn;

/**
 * The training passes of {@link FastBatchNormalizationImpl} on oneDNN's primitives, in the blocked layout
 * ({@code nChw16c}, the default) and the plain one, at the channel counts around the 16-channel block (1, 15, 16, 17,
 * 33: a last block padded inside, one exactly full, one with a single channel), on 1x1 and odd (3x5) planes, at batch
 * 1 and 3, with and without the fused ReLU: forward output, input gradient, gamma and beta gradients and the
 * running-statistics updates against the Java loops and DL4J's {@link BatchNormalization} at 1e-4, and the route
 * taken (oneDNN for every shape, including the 1-channel and 1x1 inputs whose strides ND4J does not call default).
 */
class BatchNormOneDnnShapesTest {

    @AfterEach
    void clearProperties() {
        System.clearProperty(FastBatchNormalizationImpl.ONEDNN_PROPERTY);
        System.clearProperty(ReluFusion.PROPERTY);
        System.clearProperty(FastBatchNormalizationImpl.LAYOUT_PROPERTY);
    }

    /** One input shape {@code [batch, channels, height, width]} and layer setting. */
    record Shape(int batch, int channels, int height, int width, boolean relu, boolean useLogStd) {
        @Override
        public String toString() {
            return "[" + batch + ", " + channels + ", " + height + ", " + width + "]" + (relu ? " fused ReLU" : "")
                    + (useLogStd ? " log10 std" : " variance");
        }
    }

    static List<Shape> shapes() {
        List<Shape> shapes = new ArrayList<>();
        for (int channels : new int[] {1, 15, 16, 17, 33}) {
            for (int[] plane : new int[][] {{1, 1}, {3, 5}}) {
                for (int batch : new int[] {1, 3}) {
                    for (boolean relu : new boolean[] {false, true}) {
                        shapes.add(new Shape(batch, channels, plane[0], plane[1], relu, (channels + batch) % 2 == 0));
                    }
                }
            }
        }
        return shapes;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void oneDnnMatchesTheJavaLoopsAndDl4j(Shape s) {
        assertTrue(OneDnn.available(), "org.bytedeco:dnnl with its linux-x86_64 natives is a test dependency");
        InputType type = InputType.convolutional(s.height(), s.width(), s.channels());
        MultiLayerNetwork standard = BatchNormNets.network(new BatchNormalization.Builder().useLogStd(s.useLogStd())
                .build(), type);
        FastBatchNormalization fastConf = (FastBatchNormalization) new FastBatchNormalization.Builder()
                .useLogStd(s.useLogStd()).build();
        fastConf.setRectifyOutput(s.relu());
        MultiLayerNetwork fast = BatchNormNets.network(fastConf, type);
        BatchNormNets.randomizeParams(standard, s.useLogStd(), false, 41);
        fast.setParams(standard.params());
        INDArray x = gaussian(42, s.batch(), s.channels(), s.height(), s.width()).muli(2.0).addi(1.0);
        INDArray epsilon = gaussian(43, x.shape());
        Layer dl4j = standard.getLayer(0);
        FastBatchNormalizationImpl f = (FastBatchNormalizationImpl) fast.getLayer(0);

        INDArray expectedOut = dl4j.activate(x, true, LayerWorkspaceMgr.noWorkspaces()).dup();
        if (s.relu()) {
            expectedOut = Transforms.relu(expectedOut, true);
        }
        Pair<Gradient, INDArray> expected = BatchNormNets.copy(dl4j.backpropGradient(epsilon.dup(),
                LayerWorkspaceMgr.noWorkspaces()));

        System.setProperty(FastBatchNormalizationImpl.ONEDNN_PROPERTY, "java");
        INDArray javaOut = f.activate(x, true, LayerWorkspaceMgr.noWorkspaces()).dup();
        Pair<Gradient, INDArray> java = BatchNormNets.copy(f.backpropGradient(epsilon.dup(), LayerWorkspaceMgr
                .noWorkspaces()));
        assertEquals(0, f.oneDnnPasses(), "property java: the Java loops");
        assertClose(s + " Java loops' output against DL4J", expectedOut, javaOut, FLOAT_TOLERANCE);

        int passes = 0;
        for (String layout : new String[] {"blocked", "plain"}) {
            System.setProperty(FastBatchNormalizationImpl.ONEDNN_PROPERTY, "onednn");
            System.setProperty(FastBatchNormalizationImpl.LAYOUT_PROPERTY, layout);
            INDArray oneDnnOut = f.activate(x, true, LayerWorkspaceMgr.noWorkspaces()).dup();
            Pair<Gradient, INDArray> oneDnn = f.backpropGradient(epsilon.dup(), LayerWorkspaceMgr.noWorkspaces());
            passes += 2;
            String what = s + " " + layout;
            assertEquals(passes, f.oneDnnPasses(), what + ": forward and backward on oneDNN");

            assertClose(what + " output against the Java loops", javaOut, oneDnnOut, FLOAT_TOLERANCE);
            assertClose(what + " output against DL4J", expectedOut, oneDnnOut, FLOAT_TOLERANCE);
            if (s.relu()) {
                // [1, c, 1, 1] at batch 1 outputs beta, which may be positive everywhere: no zero needed
                assertTrue(oneDnnOut.minNumber().doubleValue() >= 0.0, what + ": rectified");
            }
            assertClose(what + " input gradient against the Java loops", java.getSecond(), oneDnn.getSecond(),
                    FLOAT_TOLERANCE);
            assertClose(what + " input gradient against DL4J", expected.getSecond(), oneDnn.getSecond(),
                    FLOAT_TOLERANCE);
            // gamma, beta, and the running mean and variance (or log10 std) updates
            assertEquals(4, oneDnn.getFirst().gradientForVariable().size(), what + ": gradient keys");
            assertEquals(f.paramTable().keySet(), oneDnn.getFirst().gradientForVariable().keySet(),
                    what + ": gradient keys");
            for (String key : oneDnn.getFirst().gradientForVariable().keySet()) {
                INDArray actual = oneDnn.getFirst().getGradientFor(key);
                assertClose(what + " " + key + " gradient against the Java loops",
                        java.getFirst().getGradientFor(key), actual, FLOAT_TOLERANCE);
                assertClose(what + " " + key + " gradient against DL4J", expected.getFirst().getGradientFor(key),
                        actual, FLOAT_TOLERANCE);
            }
        }
    }

    /**
     * A {@code [1, 1, h, w]} input and output gradient that are views of channel 1 of {@code [1, 3, h, w]} arrays: their
     * elements lie in 'c' order at an offset, with strides ND4J does not call default ({@code [3hw, hw, w, 1]}), so
     * the layer takes them without a copy (the size-1 dimensions' strides do not matter) and oneDNN reads them from
     * the view's first element.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocked", "plain"})
    void oneChannelViewsAtAnOffsetMatchTheirCopies(String layout) {
        InputType type = InputType.convolutional(3, 5, 1);
        MultiLayerNetwork viewed = BatchNormNets.network(new FastBatchNormalization.Builder().build(), type);
        MultiLayerNetwork copied = BatchNormNets.network(new FastBatchNormalization.Builder().build(), type);
        viewed.setParams(gaussian(44, 1, viewed.numParams()).muli(0.5).addi(1.0));
        copied.setParams(viewed.params());
        INDArray x = gaussian(45, 1, 3, 3, 5).get(NDArrayIndex.all(), NDArrayIndex.interval(1, 2), NDArrayIndex.all(),
                NDArrayIndex.all());
        INDArray epsilon = gaussian(46, 1, 3, 3, 5).get(NDArrayIndex.all(), NDArrayIndex.interval(1, 2),
                NDArrayIndex.all(), NDArrayIndex.all());
        assertEquals(15, x.offset(), "a view at an offset");
        System.setProperty(FastBatchNormalizationImpl.ONEDNN_PROPERTY, "onednn");
        System.setProperty(FastBatchNormalizationImpl.LAYOUT_PROPERTY, layout);
        FastBatchNormalizationImpl v = (FastBatchNormalizationImpl) viewed.getLayer(0);
        FastBatchNormalizationImpl c = (FastBatchNormalizationImpl) copied.getLayer(0);
        INDArray viewOut = v.activate(x, true, LayerWorkspaceMgr.noWorkspaces()).dup();
        Pair<Gradient, INDArray> viewGradients = BatchNormNets.copy(v.backpropGradient(epsilon, LayerWorkspaceMgr
                .noWorkspaces()));
        INDArray copyOut = c.activate(x.dup('c'), true, LayerWorkspaceMgr.noWorkspaces()).dup();
        Pair<Gradient, INDArray> copyGradients = BatchNormNets.copy(c.backpropGradient(epsilon.dup('c'),
                LayerWorkspaceMgr.noWorkspaces()));
        assertEquals(2, v.oneDnnPasses(), layout + ": the views on oneDNN");
        assertClose(layout + " output", copyOut, viewOut, 1e-6);
        assertClose(layout + " input gradient", copyGradients.getSecond(), viewGradients.getSecond(), 1e-6);
        for (String key : copyGradients.getFirst().gradientForVariable().keySet()) {
            assertClose(layout + " " + key, copyGradients.getFirst().getGradientFor(key),
                    viewGradients.getFirst().getGradientFor(key), 1e-6);
        }
    }
}
