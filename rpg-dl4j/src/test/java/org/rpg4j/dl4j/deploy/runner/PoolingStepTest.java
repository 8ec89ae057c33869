package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The Java pooling steps against DL4J's own layers, on random geometries including odd sizes. */
class PoolingStepTest {

    /** Max pooling copies values: exact; averages are summed in another order than ND4J's. */
    private static final double TOLERANCE = 1e-5;

    @Test
    void maxPoolingMatchesDl4jOnRandomGeometries() {
        Random random = new Random(21);
        for (int trial = 0; trial < 40; trial++) {
            int kernel = 1 + random.nextInt(3);
            int stride = 1 + random.nextInt(3);
            ConvolutionMode mode = random.nextBoolean() ? ConvolutionMode.Same : ConvolutionMode.Truncate;
            // DL4J rejects explicit padding in Same mode (it derives the padding itself)
            int padding = mode == ConvolutionMode.Same ? 0 : random.nextInt(kernel);
            int height = kernel + random.nextInt(9);
            int width = kernel + random.nextInt(9);
            int channels = 1 + random.nextInt(4);
            SubsamplingLayer pool = new SubsamplingLayer.Builder(PoolingType.MAX).name("pool")
                    .kernelSize(kernel, kernel + (trial % 2)).stride(stride, 1 + (stride % 2)).padding(padding,
                            padding).convolutionMode(mode).build();
            if (width < kernel + (trial % 2)) {
                continue;
            }
            MultiLayerNetwork net = single(pool, InputType.convolutional(height, width, channels));
            String geometry = "kernel " + kernel + " stride " + stride + " padding " + padding + " " + mode + " input "
                    + channels + "x" + height + "x" + width;
            assertMatches(net, Nd4j.randn(DataType.FLOAT, 1 + random.nextInt(3), channels, height, width), geometry);
        }
    }

    @Test
    void twoByTwoStrideTwoWindowsInsideTheInputMatchDl4j() {
        // VGG's pools take the unclipped 2x2 path: even sizes in both modes, odd sizes in Truncate mode (the last
        // row and column are dropped); odd sizes in Same mode clip the last windows and take the general loop
        Random random = new Random(23);
        int[][] sizes = {{8, 8}, {32, 32}, {6, 10}, {7, 9}, {2, 2}, {5, 4}};
        for (int[] size : sizes) {
            for (ConvolutionMode mode : new ConvolutionMode[] {ConvolutionMode.Truncate, ConvolutionMode.Same}) {
                SubsamplingLayer pool = new SubsamplingLayer.Builder(PoolingType.MAX).name("pool").kernelSize(2, 2)
                        .stride(2, 2).convolutionMode(mode).build();
                int channels = 1 + random.nextInt(5);
                MultiLayerNetwork net = single(pool, InputType.convolutional(size[0], size[1], channels));
                assertMatches(net, Nd4j.randn(DataType.FLOAT, 1 + random.nextInt(4), channels, size[0], size[1]),
                        "2x2/2 " + mode + " input " + channels + "x" + size[0] + "x" + size[1]);
            }
        }
    }

    @Test
    void globalPoolingMatchesDl4jForEveryTypeAndRank() {
        Random random = new Random(22);
        for (PoolingType type : new PoolingType[] {PoolingType.AVG, PoolingType.MAX, PoolingType.SUM}) {
            for (boolean collapse : new boolean[] {true, false}) {
                GlobalPoolingLayer pool = new GlobalPoolingLayer.Builder(type).name("pool").collapseDimensions(collapse)
                        .build();
                int height = 1 + random.nextInt(7);
                int width = 1 + random.nextInt(7);
                MultiLayerNetwork cnn = single(pool, InputType.convolutional(height, width, 3));
                assertMatches(cnn, Nd4j.randn(DataType.FLOAT, 2, 3, height, width), type + " collapse " + collapse);
                GlobalPoolingLayer sequencePool = new GlobalPoolingLayer.Builder(type).name("pool")
                        .collapseDimensions(collapse).build();
                MultiLayerNetwork rnn = single(sequencePool, InputType.recurrent(4, 5));
                assertMatches(rnn, Nd4j.randn(DataType.FLOAT, 3, 4, 5), type + " sequence collapse " + collapse);
            }
        }
    }

    @Test
    void globalPoolingReadsPlainArraysViewsAndJavaValues() {
        MultiLayerNetwork net = single(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("pool").build(),
                InputType.convolutional(4, 5, 3));
        INDArray plain = Nd4j.randn(DataType.FLOAT, 2, 3, 4, 5);
        // a view with a row stride of 10: read through a copy, not the buffer
        INDArray view = Nd4j.randn(DataType.FLOAT, 2, 3, 4, 10).get(NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all(), NDArrayIndex.interval(0, 5));
        assertMatches(net, plain, "plain row-major input");
        assertMatches(net, view, "view input");
        // hand-computed: the average of 1..20 is 10.5 in every map
        INDArray ramp = Nd4j.linspace(DataType.FLOAT, 1, 20, 1).reshape(1, 1, 4, 5).repeat(1, 3).reshape(1, 3, 4, 5);
        assertArrayEquals(new float[] {10.5f, 10.5f, 10.5f}, SparseRunner.compile(net, RunnerOptions.defaults())
                .output(ramp)[0].data().asFloat());
    }

    @Test
    void handComputedMaxPoolWithSamePadding() {
        // 1 channel 3x3 input 1..9, 2x2 window, stride 2, Same: output 2x2 (ceil(3/2)), padding
        // ((2-1)*2 + 2 - 3)/2 = 0 on top/left, so the right and bottom windows are clipped:
        // max(1,2,4,5) = 5, max(3,6) = 6, max(7,8) = 8, max(9) = 9.
        MultiLayerNetwork net = single(new SubsamplingLayer.Builder(PoolingType.MAX).name("pool").kernelSize(2, 2)
                .stride(2, 2).convolutionMode(ConvolutionMode.Same).build(), InputType.convolutional(3, 3, 1));
        SparseRunner runner = SparseRunner.compile(net, RunnerOptions.defaults());
        INDArray x = Nd4j.linspace(DataType.FLOAT, 1, 9, 1).reshape(1, 1, 3, 3);
        assertArrayEquals(new float[] {5, 6, 8, 9}, runner.output(x)[0].data().asFloat());
    }

    @Test
    void coverageKernelsLeavesPoolingToDl4j() {
        MultiLayerNetwork net = single(new SubsamplingLayer.Builder(PoolingType.MAX).name("pool").kernelSize(2, 2)
                .stride(2, 2).build(), InputType.convolutional(6, 6, 2));
        assertEquals(KernelKind.JAVA, SparseRunner.compile(net, RunnerOptions.defaults()).report().get(0).kernel());
        SparseRunner dl4j = SparseRunner.compile(net, RunnerOptions.defaults().withCoverage(StepCoverage.KERNELS));
        assertEquals(KernelKind.DL4J, dl4j.report().get(0).kernel());
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 2, 6, 6);
        assertTrue(PrunedNetworks.maxAbsDifference(dl4j.output(x)[0], net.output(x)) == 0.0);
    }

    @Test
    void averageSubsamplingStillRunsDl4j() {
        MultiLayerNetwork net = single(new SubsamplingLayer.Builder(PoolingType.AVG).name("pool").kernelSize(2, 2)
                .stride(2, 2).build(), InputType.convolutional(6, 6, 2));
        assertEquals(KernelKind.DL4J, SparseRunner.compile(net, RunnerOptions.defaults()).report().get(0).kernel());
    }

    private static void assertMatches(MultiLayerNetwork net, INDArray x, String what) {
        SparseRunner runner = SparseRunner.compile(net, RunnerOptions.defaults());
        assertEquals(KernelKind.JAVA, runner.report().get(0).kernel(), what);
        INDArray expected = net.output(x);
        INDArray actual = runner.output(x)[0];
        double difference = PrunedNetworks.maxAbsDifference(actual, expected);
        assertTrue(difference < TOLERANCE, what + ": max |difference| " + difference);
    }

    private static MultiLayerNetwork single(Layer layer, InputType inputType) {
        MultiLayerNetwork net = new MultiLayerNetwork(PrunedNetworks.base().list().layer(layer).setInputType(inputType)
                .build());
        net.init();
        return net;
    }
}
