package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.rpg4j.dl4j.layers.onednn.OneDnn;
import org.rpg4j.sparse.kernel.ConvolutionShape;
import org.rpg4j.sparse.kernel.KernelThreading;

/** The runner's dense convolution steps on oneDNN's inference primitive, against libnd4j and DL4J. */
class DirectConvolutionTest {

    /** The bar: compiled outputs within 1e-4 of DL4J's. */
    private static final double TOLERANCE = 1e-4;

    @AfterEach
    void clearSwitch() {
        System.clearProperty(OneDnn.PROPERTY);
    }

    /**
     * Seeded geometries (Same and Truncate, strides 1-2, kernels 1-3, odd sizes), batches 1-3, with and without
     * the fused ReLU: oneDNN runs (forward says so), writes every output (they start as NaN) and matches
     * libnd4j's conv2d op, on all output channels and on the upper half of them (a batch-1 part); a second call
     * of the same instances with new input matches too.
     */
    @Test
    void matchesLibnd4jConv2dOnSeededGeometries() {
        assertTrue(OneDnn.available(), "org.bytedeco:dnnl with its natives is a test dependency");
        Random random = new Random(8);
        for (int trial = 0; trial < 12; trial++) {
            int in = 1 + random.nextInt(9);
            int out = 1 + random.nextInt(20);
            int k = 1 + random.nextInt(3);
            int s = 1 + random.nextInt(2);
            boolean same = random.nextBoolean();
            int pad = same ? 0 : random.nextInt(k);
            int h = 3 + random.nextInt(9);
            int w = 3 + random.nextInt(9);
            int batch = 1 + random.nextInt(3);
            boolean relu = random.nextBoolean();
            ConvolutionSpec spec = new ConvolutionSpec(in, out, new int[] {k, k}, new int[] {s, s},
                    new int[] {pad, pad}, new int[] {1, 1}, same);
            float[] weights = gaussian(random, out * in * k * k);
            float[] bias = gaussian(random, out);
            DirectConvolution direct = new DirectConvolution(spec, weights, bias, relu);
            String what = "trial " + trial + " " + spec + " " + h + "x" + w + " batch " + batch + " relu " + relu;
            for (int call = 0; call < 2; call++) {
                INDArray x = Nd4j.randn(DataType.FLOAT, batch, in, h, w);
                INDArray actual = Nd4j.valueArrayOf(new long[] {batch, out, spec.outSize(0, h), spec.outSize(1, w)},
                        Float.NaN, DataType.FLOAT);
                assertTrue(direct.forward(0, 0, out, x, actual), what);
                INDArray expected = libnd4j(spec, x, weights, bias);
                if (relu) {
                    Transforms.relu(expected, false);
                }
                double difference = actual.sub(expected).amaxNumber().doubleValue();
                assertTrue(difference < TOLERANCE, what + " call " + call + ": " + difference);
                assertTrue(!relu || actual.minNumber().doubleValue() >= 0.0, what);
                // the upper half of the output channels, as a batch-1 part computes them
                int from = out / 2;
                INDArray part = Nd4j.valueArrayOf(new long[] {batch, out - from, spec.outSize(0, h), spec.outSize(1,
                        w)}, Float.NaN, DataType.FLOAT);
                assertTrue(direct.forward(1, from, out, x, part), what);
                double partDifference = part.sub(expected.get(NDArrayIndex.all(), NDArrayIndex.interval(from, out))
                        .dup('c')).amaxNumber().doubleValue();
                assertTrue(partDifference < TOLERANCE, what + " channels " + from + "-" + out + ": " + partDifference);
            }
        }
    }

    /**
     * Each oneDNN instance keeps its primitive's scratchpad (user mode) for every call: on geometries of which some need
     * one (1x1 and 3x3, odd and blocked channel counts, stride 1 and 2, batch 1-16), repeated calls of one instance,
     * alternating with another instance of the same geometry, give the same bits as that instance's first call and
     * stay within 1e-4 of libnd4j's op.
     */
    @Test
    void keptScratchpadGivesTheSameOutputAtEveryCall() {
        org.junit.jupiter.api.Assumptions.assumeTrue(OneDnn.applies(), "needs oneDNN called directly");
        int[][] geometries = {{3, 5, 3, 1, 4}, {16, 16, 3, 1, 16}, {7, 13, 1, 2, 2}, {32, 64, 3, 2, 8}, {5, 9, 3, 1,
                1}};
        Random random = new Random(31);
        long scratchpads = 0;
        for (int[] g : geometries) {
            ConvolutionSpec spec = new ConvolutionSpec(g[0], g[1], new int[] {g[2], g[2]}, new int[] {g[3], g[3]},
                    new int[] {g[2] / 2, g[2] / 2}, new int[] {1, 1}, false);
            float[] weights = gaussian(random, g[1] * g[0] * g[2] * g[2]);
            float[] bias = gaussian(random, g[1]);
            int size = 12;
            INDArray x = Nd4j.randn(DataType.FLOAT, g[4], g[0], size, size);
            long[] outShape = {g[4], g[1], spec.outSize(0, size), spec.outSize(1, size)};
            ConvolutionShape shape = spec.shape(size, size);
            org.rpg4j.dl4j.layers.onednn.OneDnnInference first = org.rpg4j.dl4j.layers.onednn.OneDnnInference.create(
                    shape, g[4], weights, bias, true);
            org.rpg4j.dl4j.layers.onednn.OneDnnInference second = org.rpg4j.dl4j.layers.onednn.OneDnnInference.create(
                    shape, g[4], weights, bias, true);
            scratchpads += first.scratchpadBytes();
            INDArray reference = Nd4j.create(DataType.FLOAT, outShape);
            first.forward(x, reference);
            INDArray expected = Transforms.relu(libnd4j(spec, x, weights, bias), false);
            double difference = reference.sub(expected).amaxNumber().doubleValue();
            assertTrue(difference < TOLERANCE, java.util.Arrays.toString(g) + ": " + difference);
            for (int call = 0; call < 4; call++) {
                INDArray other = Nd4j.valueArrayOf(outShape, Float.NaN, DataType.FLOAT);
                second.forward(x, other);
                INDArray again = Nd4j.valueArrayOf(outShape, Float.NaN, DataType.FLOAT);
                first.forward(x, again);
                assertEquals(reference, again, java.util.Arrays.toString(g) + " call " + call);
                assertEquals(reference, other, java.util.Arrays.toString(g) + " other instance, call " + call);
            }
        }
        assertTrue(scratchpads > 0, "some geometry needs a scratchpad, which the instance keeps: " + scratchpads);
    }

    /**
     * The residual fused as oneDNN's sum post-op (with and without the ReLU after it): seeded geometries, batches
     * 1-3, all output channels and the upper half (a batch-1 part), two calls per instance: {@code act(conv + b +
     * residual)} within 1e-4 of libnd4j's op plus an ND4J add, every output written, the residual not modified.
     */
    @Test
    void fusedResidualMatchesConv2dPlusAdd() {
        Random random = new Random(9);
        for (int trial = 0; trial < 10; trial++) {
            int in = 1 + random.nextInt(9);
            int out = 2 + random.nextInt(20);
            int k = 1 + random.nextInt(3);
            int s = 1 + random.nextInt(2);
            int h = 3 + random.nextInt(9);
            int w = 3 + random.nextInt(9);
            int batch = 1 + random.nextInt(3);
            boolean relu = trial % 2 == 0;
            ConvolutionSpec spec = new ConvolutionSpec(in, out, new int[] {k, k}, new int[] {s, s},
                    new int[] {0, 0}, new int[] {1, 1}, true);
            float[] weights = gaussian(random, out * in * k * k);
            float[] bias = gaussian(random, out);
            DirectConvolution direct = new DirectConvolution(spec, weights, bias, relu, true);
            String what = "trial " + trial + " " + spec + " " + h + "x" + w + " batch " + batch + " relu " + relu;
            long[] outShape = {batch, out, spec.outSize(0, h), spec.outSize(1, w)};
            for (int call = 0; call < 2; call++) {
                INDArray x = Nd4j.randn(DataType.FLOAT, batch, in, h, w);
                INDArray residual = Nd4j.randn(DataType.FLOAT, outShape);
                INDArray residualBefore = residual.dup();
                INDArray actual = Nd4j.valueArrayOf(outShape, Float.NaN, DataType.FLOAT);
                assertTrue(direct.forward(0, 0, out, x, residual, actual), what);
                INDArray expected = libnd4j(spec, x, weights, bias).addi(residual);
                if (relu) {
                    Transforms.relu(expected, false);
                }
                double difference = actual.sub(expected).amaxNumber().doubleValue();
                assertTrue(difference < TOLERANCE, what + " call " + call + ": " + difference);
                assertEquals(residualBefore, residual, what + ": the residual is read only");
                int from = out / 2;
                INDArray partResidual = residual.get(NDArrayIndex.all(), NDArrayIndex.interval(from, out)).dup('c');
                INDArray part = Nd4j.valueArrayOf(new long[] {batch, out - from, outShape[2], outShape[3]}, Float.NaN,
                        DataType.FLOAT);
                assertTrue(direct.forward(1, from, out, x, partResidual, part), what);
                double partDifference = part.sub(expected.get(NDArrayIndex.all(), NDArrayIndex.interval(from, out))
                        .dup('c')).amaxNumber().doubleValue();
                assertTrue(partDifference < TOLERANCE, what + " channels " + from + "-" + out + ": " + partDifference);
            }
        }
    }

    /** A missing or unexpected residual, or one in the output's memory, is refused with the parameter named. */
    @Test
    void residualArgumentsAreChecked() {
        ConvolutionSpec spec = new ConvolutionSpec(2, 3, new int[] {3, 3}, new int[] {1, 1}, new int[] {0, 0},
                new int[] {1, 1}, true);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 2, 5, 5);
        INDArray out = Nd4j.create(DataType.FLOAT, 2, 3, 5, 5);
        DirectConvolution withResidual = new DirectConvolution(spec, new float[54], new float[3], true, true);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> withResidual.forward(0, 0, 3, x, null, out));
        assertTrue(missing.getMessage().contains("residual must be given"), missing.getMessage());
        assertThrows(IllegalStateException.class, () -> withResidual.forward(0, 0, 3, x, out));
        DirectConvolution without = new DirectConvolution(spec, new float[54], new float[3], true);
        IllegalArgumentException unexpected = assertThrows(IllegalArgumentException.class,
                () -> without.forward(0, 0, 3, x, Nd4j.create(DataType.FLOAT, 2, 3, 5, 5), out));
        assertTrue(unexpected.getMessage().contains("residual must be null"), unexpected.getMessage());
        IllegalArgumentException shared = assertThrows(IllegalArgumentException.class,
                () -> withResidual.forward(0, 0, 3, x, out, out));
        assertTrue(shared.getMessage().contains("residual must not share"), shared.getMessage());
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> withResidual.forward(0, 0, 3, x, Nd4j.create(DataType.FLOAT, 2, 3, 5, 4), out));
        assertTrue(length.getMessage().startsWith("residual must have 150 elements"), length.getMessage());
        org.rpg4j.sparse.kernel.ConvolutionShape shape = spec.shape(5, 5);
        IllegalArgumentException layout = assertThrows(IllegalArgumentException.class,
                () -> org.rpg4j.dl4j.layers.onednn.OneDnnInference.create(shape, 2, new float[54], new float[3], true,
                        true, org.rpg4j.dl4j.layers.onednn.ActivationLayout.NHWC, null,
                        org.rpg4j.dl4j.layers.onednn.ActivationLayout.NCHW));
        assertTrue(layout.getMessage().contains("must not be null, got NHWC, null, NCHW"), layout.getMessage());
    }

    @Test
    void switchOffAndDilationLeaveTheCallToLibnd4j() {
        ConvolutionSpec spec = new ConvolutionSpec(2, 3, new int[] {3, 3}, new int[] {1, 1}, new int[] {0, 0},
                new int[] {1, 1}, true);
        DirectConvolution direct = new DirectConvolution(spec, new float[54], new float[3], true);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 2, 5, 5);
        INDArray out = Nd4j.create(DataType.FLOAT, 1, 3, 5, 5);
        System.setProperty(OneDnn.PROPERTY, "libnd4j");
        assertFalse(direct.applies(x));
        assertFalse(direct.forward(0, 0, 3, x, out));
        System.clearProperty(OneDnn.PROPERTY);
        assertTrue(direct.forward(0, 0, 3, x, out));
        ConvolutionSpec dilated = new ConvolutionSpec(2, 3, new int[] {3, 3}, new int[] {1, 1}, new int[] {0, 0},
                new int[] {2, 2}, true);
        assertFalse(new DirectConvolution(dilated, new float[54], new float[3], true).forward(0, 0, 3, x, out));
        assertFalse(direct.forward(0, 0, 3, x.castTo(DataType.DOUBLE), out), "float64 input runs libnd4j");
    }

    /**
     * A residual network under the dense policy, the dense steps on oneDNN directly (the default) and on
     * libnd4j's op ({@code rpg4j.convolution=libnd4j}), one call on OpenMP's threads or split over the runner's
     * threads (by images, at batch 1 by output channels): within 1e-4 of DL4J, the caller's OpenMP
     * thread count restored.
     */
    @Test
    void runnerMatchesDl4jWithTheDirectPathOnAndOff() {
        ComputationGraph graph = PrunedNetworks.prune(residualNetwork(), 0.5, 8);
        int openMpThreads = OpenMpThreads.current();
        for (String mode : new String[] {"auto", "libnd4j"}) {
            System.setProperty(OneDnn.PROPERTY, mode);
            for (NativeThreading nativeThreading : NativeThreading.values()) {
                SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults()
                        .withPolicy(KernelPolicy.DENSE).withNativeThreading(nativeThreading)
                        .withThreading(KernelThreading.COMMON_POOL));
                for (int batch : new int[] {1, 3, 4}) {
                    for (int call = 0; call < 2; call++) {
                        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 3, 12, 12);
                        INDArray expected = graph.outputSingle(x);
                        assertTrue(expected.amaxNumber().doubleValue() > 0.0 && !expected.isNaN().any());
                        double difference = PrunedNetworks.maxAbsDifference(runner.output(x)[0], expected);
                        assertTrue(difference < TOLERANCE, mode + " " + nativeThreading + " batch " + batch + ": "
                                + difference);
                        assertEquals(openMpThreads, OpenMpThreads.current(), "the caller's OpenMP threads restored");
                    }
                }
            }
        }
    }

    private static INDArray libnd4j(ConvolutionSpec spec, INDArray x, float[] weights, float[] bias) {
        INDArray w = Nd4j.create(weights, new long[] {spec.outChannels(), spec.inChannels(), spec.kernel()[0],
                spec.kernel()[1]}, 'c');
        INDArray out = Nd4j.create(DataType.FLOAT, x.size(0), spec.outChannels(), spec.outSize(0, x.size(2)),
                spec.outSize(1, x.size(3)));
        DynamicCustomOp op = DynamicCustomOp.builder("conv2d").addInputs(x, w, Nd4j.create(bias, spec.outChannels()))
                .addOutputs(out).addIntegerArguments(java.util.Arrays.stream(spec.opArguments()).mapToInt(v -> (int) v)
                        .toArray()).build();
        Nd4j.exec(op);
        return out;
    }

    private static float[] gaussian(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    /** conv-BN-ReLU (16 channels, one stride 2), then a basic block with the add and ReLU, at 12x12. */
    /**
     * Dense steps hand NHWC to each other (c0 -> c1 -> c2 with c1's output also c2's residual; c2's output goes to
     * the pooling step in NCHW): at batches 3 and 4, both native threadings, outputs within 1e-4 of DL4J on every
     * call, and the primitives created are NCHW>NHWC (c0), NHWC>NHWC (c1) and NHWC>NCHW with an NHWC residual
     * (c2); at batch 1 (split by channels) everything stays NCHW.
     */
    @Test
    void denseStepsHandNhwcToEachOther() {
        ComputationGraph graph = PrunedNetworks.prune(residualNetwork(), 0.5, 8);
        for (NativeThreading nativeThreading : NativeThreading.values()) {
            SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults().withPolicy(KernelPolicy.DENSE)
                    .withNativeThreading(nativeThreading).withThreading(KernelThreading.COMMON_POOL));
            for (int batch : new int[] {3, 4}) {
                for (int call = 0; call < 3; call++) {
                    INDArray x = Nd4j.rand(DataType.FLOAT, batch, 3, 12, 12);
                    double difference = PrunedNetworks.maxAbsDifference(runner.output(x)[0], graph.outputSingle(x));
                    assertTrue(difference < TOLERANCE, nativeThreading + " batch " + batch + ": " + difference);
                }
            }
            java.util.List<java.util.Set<String>> layouts = runner.steps().stream().filter(
                    ConvolutionStep.class::isInstance).map(step -> ((ConvolutionStep) step).directLayouts()).toList();
            assertEquals(java.util.List.of(java.util.Set.of("NCHW>NHWC"), java.util.Set.of("NHWC>NHWC"),
                    java.util.Set.of("NHWC>NCHW+NHWC")), layouts, nativeThreading.toString());
            SparseRunner single = SparseRunner.compile(graph, RunnerOptions.defaults().withPolicy(KernelPolicy.DENSE)
                    .withNativeThreading(nativeThreading).withThreading(KernelThreading.COMMON_POOL));
            INDArray one = Nd4j.rand(DataType.FLOAT, 1, 3, 12, 12);
            assertTrue(PrunedNetworks.maxAbsDifference(single.output(one)[0], graph.outputSingle(one)) < TOLERANCE);
            single.steps().stream().filter(ConvolutionStep.class::isInstance).forEach(step -> assertTrue(
                    ((ConvolutionStep) step).directLayouts().stream().allMatch(l -> !l.contains("NHWC")),
                    ((ConvolutionStep) step).directLayouts().toString()));
        }
    }

    private static ComputationGraph residualNetwork() {
        ComputationGraphConfiguration.GraphBuilder builder = PrunedNetworks.base().graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(12, 12, 3));
        convBn(builder, "c0", "in", 1);
        builder.addLayer("r0", new ActivationLayer(Activation.RELU), "c0_bn");
        convBn(builder, "c1", "r0", 2);
        builder.addLayer("r1", new ActivationLayer(Activation.RELU), "c1_bn");
        convBn(builder, "c2", "r1", 1);
        builder.addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "c2_bn", "r1")
                .addLayer("r2", new ActivationLayer(Activation.RELU), "add");
        return PrunedNetworks.poolAndClassify(builder, "r2");
    }

    private static void convBn(ComputationGraphConfiguration.GraphBuilder builder, String name, String input,
                               int stride) {
        builder.addLayer(name, new ConvolutionLayer.Builder(3, 3).stride(stride, stride).nOut(16)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build(), input)
                .addLayer(name + "_bn", new BatchNormalization.Builder().build(), name);
    }
}
