package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rpg4j.dl4j.layers.FastLayers;
import org.rpg4j.sparse.kernel.KernelThreading;

class SparseRunnerTest {

    /** The bar: compiled outputs within 1e-4 of DL4J's. */
    private static final double TOLERANCE = 1e-4;

    @Test
    void layerStackMatchesDl4jUnderEveryPolicyAndBatch() {
        MultiLayerNetwork net = PrunedNetworks.prune(stack(), 0.9, 1);
        for (KernelPolicy policy : KernelPolicy.values()) {
            SparseRunner runner = SparseRunner.compile(net, RunnerOptions.defaults().withPolicy(policy));
            for (int batch : new int[] {1, 5}) {
                INDArray x = Nd4j.rand(DataType.FLOAT, batch, 3, 12, 12);
                INDArray expected = net.output(x);
                INDArray actual = runner.output(x)[0];
                assertNonTrivial(expected);
                assertTrue(PrunedNetworks.maxAbsDifference(actual, expected) < TOLERANCE, policy + " batch " + batch);
            }
            Map<String, KernelKind> kinds = kinds(runner);
            // c1 absorbed b1 and r1; the max pooling ran on Java arrays; dense and output compiled.
            assertFalse(kinds.containsKey("b1") || kinds.containsKey("r1"), kinds.toString());
            assertEquals(KernelKind.JAVA, kinds.get("pool"));
            KernelKind expectedKind = policy == KernelPolicy.DENSE ? KernelKind.DENSE
                    : policy == KernelPolicy.SPARSE ? KernelKind.SPARSE : kinds.get("c1");
            assertEquals(expectedKind, kinds.get("c1"));
            assertTrue(runner.report().stream().anyMatch(c -> c.operation().contains("+bn +relu")));
        }
    }

    @Test
    void residualGraphWithMergeMatchesDl4jWithStandardAndFastLayers() {
        for (boolean fast : new boolean[] {false, true}) {
            ComputationGraph graph = PrunedNetworks.prune(residualGraph(fast), 0.95, 2);
            for (KernelPolicy policy : KernelPolicy.values()) {
                SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults().withPolicy(policy));
                for (int batch : new int[] {1, 4}) {
                    INDArray x = Nd4j.rand(DataType.FLOAT, batch, 3, 10, 10);
                    INDArray expected = graph.outputSingle(x);
                    INDArray actual = runner.output(x)[0];
                    assertNonTrivial(expected);
                    assertTrue(PrunedNetworks.maxAbsDifference(actual, expected) < TOLERANCE,
                            "fast " + fast + " " + policy + " batch " + batch);
                }
                Map<String, KernelKind> kinds = kinds(runner);
                // The residual add absorbed the ReLU after it, and was absorbed by c2 when DL4J's order puts
                // the shortcut (bproj) before c2; the merge ran DL4J's vertex.
                boolean fused = runner.report().stream().anyMatch(c -> c.name().equals("c2")
                        && c.operation().endsWith("+bn +add +relu"));
                assertTrue(fused != kinds.containsKey("add"), kinds.toString());
                assertTrue(fused || kinds.get("add") == KernelKind.JAVA, kinds.toString());
                assertFalse(kinds.containsKey("a2"), kinds.toString());
                assertEquals(KernelKind.DL4J, kinds.get("merge"));
            }
        }
    }

    @Test
    void residualBlocksOfSameConvolutionsMatchDl4jWithTheAddFusedIntoTheConvolution() {
        // Two ResNet basic blocks at 8x8: the block's second convolution adds the shortcut and applies the
        // ReLU as it stores; the values between the sparse convolutions stay in their padded layout.
        ComputationGraph graph = PrunedNetworks.prune(residualBlocks(), 0.6, 3);
        for (KernelPolicy policy : KernelPolicy.values()) {
            SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults().withPolicy(policy));
            for (int batch : new int[] {1, 4}) {
                for (int call = 0; call < 4; call++) {
                    INDArray x = Nd4j.rand(DataType.FLOAT, batch, 3, 8, 8);
                    INDArray expected = graph.outputSingle(x);
                    assertNonTrivial(expected);
                    double difference = PrunedNetworks.maxAbsDifference(runner.output(x)[0], expected);
                    assertTrue(difference < TOLERANCE, policy + " batch " + batch + " call " + call + ": "
                            + difference);
                }
            }
            Map<String, KernelKind> kinds = kinds(runner);
            assertFalse(kinds.containsKey("add1") || kinds.containsKey("add2") || kinds.containsKey("r2"),
                    kinds.toString());
            assertEquals(2, runner.report().stream().filter(c -> c.operation().endsWith("+bn +add +relu"))
                    .map(LayerChoice::name).distinct().count(), runner.report().toString());
        }
    }

    @Test
    void repeatedCallsReuseTheirArraysAndLeaveNoneLent() {
        // Before the pool kept only what it lent, every call added the input's and other copies' arrays
        // to it for good: a few megabytes per call at batch 32, an OutOfMemoryError within a minute.
        ComputationGraph graph = PrunedNetworks.prune(residualBlocks(), 0.6, 3);
        for (KernelPolicy policy : new KernelPolicy[] {KernelPolicy.SPARSE, KernelPolicy.MEASURED}) {
            SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults().withPolicy(policy));
            INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 8, 8);
            // past the calibration (at most 7 calls) and the first recheck of its choice, 8 calls after it, whose
            // extra kernel run holds one more array at once than a plain call (later rechecks reuse it)
            for (int call = 0; call < 7 + ChoiceRecheck.FIRST_RECHECK; call++) {
                runner.output(x);
            }
            int[] before = runner.pooledArrays();
            for (int call = 0; call < 20; call++) {
                runner.output(x);
                assertEquals(0, runner.pooledArrays()[1], policy + " call " + call + ": arrays still lent");
            }
            assertTrue(before[0] > 0, policy + ": the pool holds the previous call's arrays");
            assertEquals(before[0], runner.pooledArrays()[0], policy + ": the pool grew across calls");
        }
    }

    @Test
    void denseKernelsSplitOverJavaThreadsMatchDl4jAndLeaveTheCallersOpenMpThreads() {
        // the dense convolutions as one call on OpenMP's threads, or split into single-threaded calls over the
        // runner's threads: by images (batch 3 and 4: uneven and even halves), by output channels at batch 1
        ComputationGraph graph = PrunedNetworks.prune(residualBlocks(), 0.6, 5);
        int openMpThreads = OpenMpThreads.current();
        for (NativeThreading nativeThreading : NativeThreading.values()) {
            for (KernelThreading threading : KernelThreading.values()) {
                SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults()
                        .withPolicy(KernelPolicy.DENSE).withNativeThreading(nativeThreading).withThreading(threading));
                for (int batch : new int[] {1, 3, 4}) {
                    for (int call = 0; call < 2; call++) {
                        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 3, 8, 8);
                        INDArray expected = graph.outputSingle(x);
                        assertNonTrivial(expected);
                        double difference = PrunedNetworks.maxAbsDifference(runner.output(x)[0], expected);
                        assertTrue(difference < TOLERANCE, nativeThreading + " " + threading + " batch " + batch
                                + ": " + difference);
                        assertEquals(openMpThreads, OpenMpThreads.current(), "the caller's OpenMP threads restored");
                    }
                }
            }
        }
    }

    @Test
    void layersWithAtMostTwoPercentNonZerosAreSparseWithoutTiming() {
        MultiLayerNetwork net = PrunedNetworks.prune(stack(), 0.995, 4);
        SparseRunner runner = SparseRunner.compile(net, RunnerOptions.defaults());
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 12, 12);
        assertTrue(PrunedNetworks.maxAbsDifference(runner.output(x)[0], net.output(x)) < TOLERANCE);
        List<LayerChoice> report = runner.report();
        assertTrue(report.stream().anyMatch(c -> c.density() <= 0.02 && c.batch() == 2), report.toString());
        for (LayerChoice choice : report) {
            if (choice.batch() == 2 && choice.density() <= 0.02) {
                assertEquals(KernelKind.SPARSE, choice.kernel(), choice.toString());
                assertTrue(Double.isNaN(choice.sparseMillis()) && Double.isNaN(choice.denseMillis()), choice
                        .toString());
            }
        }
    }

    @Test
    void calibratingCallsMatchDl4jAndReportWhatWasTimed() {
        // c2 does 8 x 32 x 288 x 1024 x 0.5 = 37.7 M non-zero multiply-adds per call: above PROBED_MACS, so its
        // sparse kernel is first timed on a slice; whichever kernel each call returns, the output stays within 1e-4
        MultiLayerNetwork net = new MultiLayerNetwork(PrunedNetworks.base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("c1").nOut(32).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build())
                .layer(new ConvolutionLayer.Builder(3, 3).name("c2").nOut(32).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build())
                .layer(new ConvolutionLayer.Builder(3, 3).name("c3").stride(2, 2).nOut(16).activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(4)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(32, 32, 3)).build());
        net.init();
        PrunedNetworks.prune(net, 0.5, 6);
        SparseRunner runner = SparseRunner.compile(net, RunnerOptions.defaults());
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 3, 32, 32);
        INDArray expected = net.output(x);
        assertNonTrivial(expected);
        // a warm-up call, 3 counting calls and up to 3 more where a race is close (Calibration.CLOSE_MARGIN)
        for (int call = 1; call <= 7; call++) {
            double difference = PrunedNetworks.maxAbsDifference(runner.output(x)[0], expected);
            assertTrue(difference < TOLERANCE, "call " + call + ": " + difference);
        }
        List<LayerChoice> report = runner.report();
        assertEquals(List.of("c1", "c2", "c3", "out"), report.stream().map(LayerChoice::name).toList());
        // the output layer (8 x 4096 x 4 = 131k multiply-adds) runs the Java kernel untimed (DenseStep.JAVA_MACS)
        assertTrue(report.get(3).calibration().startsWith("not timed: at most"), report.get(3).toString());
        for (LayerChoice choice : report.subList(0, 3)) {
            assertTrue(choice.calibration().startsWith("decided after "), choice.toString());
            assertFalse(Double.isNaN(choice.denseMillis()), "the dense kernel is always timed: " + choice);
            // a sparse kernel never timed in full was skipped on its slice's prediction, and the report says so
            assertTrue(!Double.isNaN(choice.sparseMillis()) || choice.calibration().contains("SPARSE not run")
                    || choice.calibration().contains("SPARSE dropped"), choice.toString());
        }
    }

    @Test
    void layerTypesWithoutSparseKernelsFallBackToDl4j() {
        MultiLayerNetwork net = new MultiLayerNetwork(PrunedNetworks.base().list()
                .layer(new DepthwiseConvolution2D.Builder(3, 3).name("depthwise").depthMultiplier(2)
                        .activation(Activation.RELU).build())
                .layer(new SeparableConvolution2D.Builder(3, 3).name("separable").nOut(6).build())
                .layer(new Deconvolution2D.Builder(2, 2).name("deconv").stride(2, 2).nOut(4).build())
                .layer(new ConvolutionLayer.Builder(3, 3).name("dilated").dilation(2, 2).nOut(4)
                        .activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.AVG).name("avg").kernelSize(2, 2).stride(2, 2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(8, 8, 2)).build());
        net.init();
        PrunedNetworks.prune(net, 0.8, 3);
        SparseRunner runner = SparseRunner.compile(net, RunnerOptions.defaults().withPolicy(KernelPolicy.SPARSE));
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 2, 8, 8);
        assertTrue(PrunedNetworks.maxAbsDifference(runner.output(x)[0], net.output(x)) < TOLERANCE);
        Map<String, KernelKind> kinds = kinds(runner);
        assertEquals(KernelKind.DL4J, kinds.get("depthwise"));
        assertEquals(KernelKind.DL4J, kinds.get("separable"));
        assertEquals(KernelKind.DL4J, kinds.get("deconv"));
        // Dilated convolutions are compiled, but only the dense op computes them.
        assertEquals(KernelKind.DENSE, kinds.get("dilated"));
        assertEquals(KernelKind.SPARSE, kinds.get("out"));
    }

    @Test
    void convolution1dFallsBackAndMatches() {
        MultiLayerNetwork net = new MultiLayerNetwork(PrunedNetworks.base().list()
                .layer(new org.deeplearning4j.nn.conf.layers.Convolution1DLayer.Builder(3).name("conv1d").nOut(5)
                        .activation(Activation.RELU).build())
                .layer(new org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer.Builder(PoolingType.MAX).name("gp")
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).name("out").nOut(2)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.recurrent(4, 9)).build());
        net.init();
        PrunedNetworks.prune(net, 0.5, 4);
        SparseRunner runner = SparseRunner.compile(net, RunnerOptions.defaults());
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 4, 9);
        assertTrue(PrunedNetworks.maxAbsDifference(runner.output(x)[0], net.output(x)) < TOLERANCE);
        assertEquals(KernelKind.DL4J, kinds(runner).get("conv1d"));
    }

    @Test
    void badInputIsRejected() {
        MultiLayerNetwork net = stack();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SparseRunner.compile((MultiLayerNetwork) null,
                RunnerOptions.defaults())).getMessage().contains("network and options must not be null"));
        MultiLayerNetwork uninitialised = new MultiLayerNetwork(net.getLayerWiseConfigurations());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SparseRunner.compile(uninitialised,
                RunnerOptions.defaults())).getMessage().contains("init()"));
        SparseRunner runner = SparseRunner.compile(net, RunnerOptions.defaults());
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 3, 12, 12);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> runner.output(x, x)).getMessage()
                .contains("inputs must hold 1 array(s), one per network input, got 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> runner.output((INDArray) null)).getMessage()
                .contains("inputs[0] must not be null"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RunnerOptions.defaults()
                .withCalibrationRuns(0)).getMessage().contains("calibrationRuns must be >= 1, got 0"));
    }

    @ParameterizedTest
    @EnumSource(KernelPolicy.class)
    void inputOfTheWrongShapeIsRejectedUnderEveryPolicy(KernelPolicy policy) {
        SparseRunner convolutions = SparseRunner.compile(stack(), RunnerOptions.defaults().withPolicy(policy));
        INDArray fourChannels = Nd4j.rand(DataType.FLOAT, 1, 4, 12, 12);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> convolutions.output(fourChannels)).getMessage()
                .contains("expects input [batch, 3, height, width], got [1, 4, 12, 12]"));
        MultiLayerNetwork dense = new MultiLayerNetwork(PrunedNetworks.base().list()
                .layer(new DenseLayer.Builder().name("hidden").nIn(6).nOut(5).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).name("out").nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build());
        dense.init();
        SparseRunner runner = SparseRunner.compile(dense, RunnerOptions.defaults().withPolicy(policy));
        INDArray sevenFeatures = Nd4j.rand(DataType.FLOAT, 2, 7);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> runner.output(sevenFeatures)).getMessage()
                .contains("layer hidden expects 6 features per example, got input shape [2, 7]"));
    }

    /** The comparison can only fail if the outputs differ between classes: not a constant softmax. */
    private static void assertNonTrivial(INDArray probabilities) {
        double spread = probabilities.maxNumber().doubleValue() - probabilities.minNumber().doubleValue();
        assertTrue(spread > 0.01, "output too uniform for a meaningful comparison: spread " + spread);
    }

    private static Map<String, KernelKind> kinds(SparseRunner runner) {
        List<LayerChoice> report = runner.report();
        return report.stream().collect(Collectors.toMap(LayerChoice::name, LayerChoice::kernel, (a, b) -> b));
    }

    /** conv3x3-BN-ReLU, maxpool, conv1x1-BN, conv3x3/2 (bias, ReLU), dense ReLU, softmax; [n, 3, 12, 12]. */
    private static MultiLayerNetwork stack() {
        MultiLayerConfiguration conf = PrunedNetworks.base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("c1").nOut(8).hasBias(false)
                        .activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().name("b1").build())
                .layer(new ActivationLayer.Builder().name("r1").activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).name("pool").kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(1, 1).name("c2").nOut(16).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().name("b2").useLogStd(false).build())
                .layer(new ConvolutionLayer.Builder(3, 3).name("c3").stride(2, 2).nOut(8).activation(Activation.RELU)
                        .build())
                .layer(new DenseLayer.Builder().name("dense").nOut(20).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(4)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(12, 12, 3)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Stem conv-BN-ReLU and two basic blocks (3x3 Same, 8 channels, identity shortcuts); [n, 3, 8, 8]. */
    private static ComputationGraph residualBlocks() {
        var builder = PrunedNetworks.base().graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(8, 8, 3));
        String previous = convBnRelu(builder, "c0", "in", true);
        for (int block = 1; block <= 2; block++) {
            String first = convBnRelu(builder, "c" + block + "a", previous, true);
            String second = convBnRelu(builder, "c" + block + "b", first, false);
            builder.addVertex("add" + block, new ElementWiseVertex(ElementWiseVertex.Op.Add), second, previous)
                    .addLayer("r" + (block + 1), new ActivationLayer(Activation.RELU), "add" + block);
            previous = "r" + (block + 1);
        }
        return PrunedNetworks.poolAndClassify(builder, previous);
    }

    /** Adds conv 3x3 (8 channels, no bias) and BN, with a ReLU layer if asked; @return the last vertex name. */
    private static String convBnRelu(org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder builder,
                                     String name, String input, boolean relu) {
        builder.addLayer(name, new ConvolutionLayer.Builder(3, 3).nOut(8).hasBias(false)
                .activation(Activation.IDENTITY).build(), input)
                .addLayer(name + "_bn", new BatchNormalization.Builder().build(), name);
        if (!relu) {
            return name + "_bn";
        }
        builder.addLayer(name + "_relu", new ActivationLayer(Activation.RELU), name + "_bn");
        return name + "_relu";
    }

    /** A ResNet block with a projection, a merge (channel concatenation) and global pooling; [n, 3, 10, 10]. */
    private static ComputationGraph residualGraph(boolean fast) {
        var conf = PrunedNetworks.base().graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(10, 10, 3))
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(8).hasBias(false)
                        .activation(Activation.IDENTITY).build(), "in")
                .addLayer("b1", new BatchNormalization.Builder().build(), "c1")
                .addLayer("a1", new ActivationLayer(Activation.RELU), "b1")
                .addLayer("c2", new ConvolutionLayer.Builder(3, 3).nOut(8).stride(2, 2).hasBias(false)
                        .activation(Activation.IDENTITY).build(), "a1")
                .addLayer("b2", new BatchNormalization.Builder().build(), "c2")
                .addLayer("proj", new ConvolutionLayer.Builder(1, 1).nOut(8).stride(2, 2).hasBias(false)
                        .activation(Activation.IDENTITY).build(), "a1")
                .addLayer("bproj", new BatchNormalization.Builder().build(), "proj")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "b2", "bproj")
                .addLayer("a2", new ActivationLayer(Activation.RELU), "add")
                .addLayer("side", new ConvolutionLayer.Builder(1, 1).nOut(4).activation(Activation.RELU).build(), "a2")
                .addVertex("merge", new MergeVertex(), "a2", "side")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "merge")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(5)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").build();
        ComputationGraph graph = new ComputationGraph(fast ? FastLayers.withFastLayers(conf) : conf);
        graph.init();
        return graph;
    }
}
