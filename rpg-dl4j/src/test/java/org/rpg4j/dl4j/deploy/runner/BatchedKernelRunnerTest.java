package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.sparse.kernel.FusedActivation;

/** The runner's convolutions on small planes with the batched sparse kernel ({@link BatchedCandidate}). */
class BatchedKernelRunnerTest {

    /** The bar: compiled outputs within 1e-4 of DL4J's. */
    private static final double TOLERANCE = 1e-4;

    @Test
    void smallPlaneLayersRunTheBatchedKernelAndMatchDl4j() {
        // stride-2 stem to 4x4, a residual block at 4x4 (its second convolution adds the shortcut and applies
        // the ReLU as it stores), a stride-2 convolution to 2x2. While the two sparse kernels are timed (the first
        // TIMED_RUNS sparse runs per batch size) the batched kernel's output is the one used; after that, whichever
        // was faster: every call must match DL4J.
        ComputationGraph graph = PrunedNetworks.prune(smallPlanes(), 0.8, 7);
        SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults().withPolicy(KernelPolicy.SPARSE));
        for (int batch : new int[] {BatchedCandidate.MIN_BATCH, 33, 2}) {
            for (int call = 0; call < BatchedCandidate.TIMED_RUNS + 2; call++) {
                INDArray x = Nd4j.rand(DataType.FLOAT, batch, 3, 8, 8);
                INDArray expected = graph.outputSingle(x);
                assertTrue(expected.maxNumber().doubleValue() - expected.minNumber().doubleValue() > 1e-3,
                        "the network output must depend on the input");
                double difference = PrunedNetworks.maxAbsDifference(runner.output(x)[0], expected);
                assertTrue(difference < TOLERANCE, "batch " + batch + " call " + call + ": " + difference);
            }
        }
        List<ConvolutionStep> convolutions = runner.steps().stream().filter(ConvolutionStep.class::isInstance).map(
                ConvolutionStep.class::cast).toList();
        assertEquals(5, convolutions.size());
        for (ConvolutionStep step : convolutions) {
            // every convolution's output plane is 4x4 or 2x2: both kernels timed at batch 8 and 33, not at 2
            assertNotNull(step.sparseKernel(BatchedCandidate.MIN_BATCH), step.choices().toString());
            assertNotNull(step.sparseKernel(33), step.choices().toString());
            assertNull(step.sparseKernel(2), step.choices().toString());
        }
    }

    @Test
    void measuredChoiceReportsTheSparseKernelThatRuns() {
        // under the measured policy the first call times both sparse kernels inside the sparse runs of the
        // step's calibration; from the third call the report names the sparse kernel the step chose
        ComputationGraph graph = PrunedNetworks.prune(smallPlanes(), 0.9, 8);
        SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults());
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 3, 8, 8);
        INDArray expected = graph.outputSingle(x);
        for (int call = 0; call < 4; call++) {
            double difference = PrunedNetworks.maxAbsDifference(runner.output(x)[0], expected);
            assertTrue(difference < TOLERANCE, "call " + call + ": " + difference);
        }
        for (Step step : runner.steps()) {
            if (step instanceof ConvolutionStep conv) {
                LayerChoice choice = conv.choices().get(0);
                KernelKind sparse = conv.sparseKernel(16);
                assertNotNull(sparse, choice.toString());
                assertEquals(choice.kernel() == KernelKind.DENSE ? KernelKind.DENSE : sparse, choice.kernel(),
                        choice.toString());
            }
        }
    }

    @Test
    void untimedSparseLayersReportTheSparseKernelThatRuns() {
        // at density <= ALWAYS_SPARSE_DENSITY a layer runs sparse without calibration, but its two sparse kernels
        // are still timed in its first sparse runs: the report must follow that choice (it said SPARSE for good,
        // VGG-19 RPG 98 %'s conv3_x/conv4_x, while the batched kernel ran)
        ComputationGraph graph = PrunedNetworks.prune(smallPlanes(), 0.99, 9);
        SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults());
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 3, 8, 8);
        INDArray expected = graph.outputSingle(x);
        for (int call = 0; call < BatchedCandidate.TIMED_RUNS + 2; call++) {
            double difference = PrunedNetworks.maxAbsDifference(runner.output(x)[0], expected);
            assertTrue(difference < TOLERANCE, "call " + call + ": " + difference);
        }
        int untimed = 0;
        for (Step step : runner.steps()) {
            if (step instanceof ConvolutionStep conv && conv.choices().get(0)
                    .density() <= CalibratedStep.ALWAYS_SPARSE_DENSITY) {
                untimed++;
                LayerChoice choice = conv.choices().get(0);
                assertEquals(1, conv.choices().size(), conv.choices().toString());
                assertNotNull(conv.sparseKernel(16), choice.toString());
                assertEquals(conv.sparseKernel(16), choice.kernel(), choice.toString());
            }
        }
        assertTrue(untimed >= 2, "layers at density <= " + CalibratedStep.ALWAYS_SPARSE_DENSITY + ": " + untimed);
    }

    @Test
    void calibrationSlicesTheBatchOnlyWhereTheBatchedKernelCannotRun() {
        // a slice of a few images would time the per-image kernel, while the full batch may run the batched one
        int channels = 32;
        int batch = 64;
        ConvolutionSpec spec = new ConvolutionSpec(channels, channels, new int[] {3, 3}, new int[] {1, 1},
                new int[] {0, 0}, new int[] {1, 1}, true);
        float[] weights = new float[channels * channels * 9];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 0.01f * (1 + i % 7);
        }
        ConvolutionStep step = new ConvolutionStep("c", spec, weights, new float[channels], FusedActivation.RELU, "",
                RunnerOptions.defaults());
        // 4x4 output: 9,216 non-zeros x 16 x 64 = 9.4 M multiply-adds, above the slicing threshold
        Tensor small = Tensor.of(Nd4j.rand(DataType.FLOAT, batch, channels, 4, 4));
        assertTrue(9216L * 16 * batch >= ConvolutionStep.PROBED_MACS);
        assertNull(step.sparseProbe(new Tensor[] {small}), "small planes at batch 64 are timed in full");
        // 16x16 at batch 32: 32 x 3 x 18 x 32 = 55 K source floats per output row, below the tiling limit, so
        // only the per-image kernel runs (at batch 64 the batched kernel would tile and be timed in full)
        Tensor large = Tensor.of(Nd4j.rand(DataType.FLOAT, batch / 2, channels, 16, 16));
        Calibration.Probe probe = step.sparseProbe(new Tensor[] {large});
        assertNotNull(probe, "a 16x16 plane runs the per-image kernel: a slice predicts it");
        assertNull(step.sparseProbe(new Tensor[] {Tensor.of(Nd4j.rand(DataType.FLOAT, batch, channels, 16, 16))}),
                "at batch 64 the tiled batched kernel is a candidate: timed in full");
        assertTrue(probe.fraction() <= 0.5, probe.description());
    }

    @Test
    void wideSixteenBySixteenLayersTryTheTiledBatchedKernelAndMatchDl4j() {
        // 48 channels at 16x16 read 48 x 3 x 18 x 32 = 83 K source floats per output row at batch 32: the batched
        // kernel tiles there, so it is a candidate (timed in full, no slice); at batch 8 (21 K floats) it does not
        // tile and the plane is above MAX_PLANE, so only the per-image kernel runs
        ComputationGraph graph = PrunedNetworks.prune(wide(), 0.7, 9);
        SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults().withPolicy(KernelPolicy.SPARSE));
        for (int batch : new int[] {32, BatchedCandidate.MIN_BATCH}) {
            for (int call = 0; call < BatchedCandidate.TIMED_RUNS + 2; call++) {
                INDArray x = Nd4j.rand(DataType.FLOAT, batch, 3, 16, 16);
                INDArray expected = graph.outputSingle(x);
                double difference = PrunedNetworks.maxAbsDifference(runner.output(x)[0], expected);
                assertTrue(difference < TOLERANCE, "batch " + batch + " call " + call + ": " + difference);
            }
        }
        List<ConvolutionStep> convolutions = runner.steps().stream().filter(ConvolutionStep.class::isInstance).map(
                ConvolutionStep.class::cast).toList();
        assertEquals(3, convolutions.size());
        // the stem (3 input channels) does not tile; the two 48-channel layers do at batch 32, not at 8
        assertNull(convolutions.get(0).sparseKernel(32), convolutions.get(0).choices().toString());
        for (ConvolutionStep step : convolutions.subList(1, 3)) {
            assertNotNull(step.sparseKernel(32), step.choices().toString());
            assertNull(step.sparseKernel(BatchedCandidate.MIN_BATCH), step.choices().toString());
        }
    }

    /** [n, 3, 16, 16] -> conv (16x16, 48) -> conv (48) -> conv (48) -> average pool -> softmax. */
    private static ComputationGraph wide() {
        GraphBuilder builder = PrunedNetworks.base().graphBuilder().addInputs("in").setInputTypes(InputType
                .convolutional(16, 16, 3));
        String last = convBn(builder, "w0", "in", 1, true, 48);
        last = convBn(builder, "w1", last, 1, true, 48);
        last = convBn(builder, "w2", last, 1, true, 48);
        return PrunedNetworks.poolAndClassify(builder, last);
    }

    /** [n, 3, 8, 8] -> conv/2 (4x4, 16) -> basic block (4x4) -> conv/2 (2x2, 16) -> average pool -> softmax. */
    static ComputationGraph smallPlanes() {
        GraphBuilder builder = PrunedNetworks.base().graphBuilder().addInputs("in").setInputTypes(InputType
                .convolutional(8, 8, 3));
        String stem = convBn(builder, "c0", "in", 2, true);
        String first = convBn(builder, "c1a", stem, 1, true);
        String second = convBn(builder, "c1b", first, 1, false);
        builder.addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), second, stem).addLayer("r",
                new ActivationLayer(Activation.RELU), "add");
        String down = convBn(builder, "c2", "r", 2, true);
        String last = convBn(builder, "c3", down, 1, true);
        return PrunedNetworks.poolAndClassify(builder, last);
    }

    /** Adds conv 3x3 Same (16 channels) and BN, with a ReLU if asked; @return the last vertex name. */
    private static String convBn(GraphBuilder builder, String name, String input, int stride, boolean relu) {
        return convBn(builder, name, input, stride, relu, 16);
    }

    /** Adds conv 3x3 Same ({@code channels} outputs) and BN, with a ReLU if asked; @return the last vertex name. */
    private static String convBn(GraphBuilder builder, String name, String input, int stride, boolean relu,
                                 int channels) {
        builder.addLayer(name, new ConvolutionLayer.Builder(3, 3).stride(stride, stride).nOut(channels).hasBias(false)
                .activation(Activation.IDENTITY).build(), input)
                .addLayer(name + "_bn", new BatchNormalization.Builder().build(), name);
        if (!relu) {
            return name + "_bn";
        }
        builder.addLayer(name + "_relu", new ActivationLayer(Activation.RELU), name + "_bn");
        return name + "_relu";
    }
}
