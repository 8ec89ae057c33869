package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Convolutions on 4x4 and 2x2 planes with dense weights (a shrunk VGG's late layers, and a residual one) at batch 1
 * and 2: the small-plane kernel is timed against the per-image sparse kernel at the first sparse runs and its
 * output returned while they are timed, so the first calls run it; every call's output stays within 1e-4 of DL4J's.
 */
class SmallPlaneRunnerTest {

    private static final double TOLERANCE = 1e-4;
    private static final int CALLS = 20;

    @Test
    void smallPlaneLayersMatchDl4jAtEveryCallUnderSparseAndMeasuredPolicies() {
        ComputationGraph graph = PrunedNetworks.prune(smallPlanes(), 0.0, 9);
        for (KernelPolicy policy : List.of(KernelPolicy.SPARSE, KernelPolicy.MEASURED)) {
            SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults().withPolicy(policy));
            for (int batch : new int[] {1, 2}) {
                Nd4j.getRandom().setSeed(batch);
                INDArray x = Nd4j.rand(DataType.FLOAT, batch, 3, 8, 8);
                INDArray expected = graph.outputSingle(x);
                double spread = expected.maxNumber().doubleValue() - expected.minNumber().doubleValue();
                assertTrue(spread > 0.01, "output too uniform for a meaningful comparison: spread " + spread);
                for (int call = 0; call < CALLS; call++) {
                    double difference = PrunedNetworks.maxAbsDifference(runner.output(x)[0], expected);
                    assertTrue(difference < TOLERANCE, policy + " batch " + batch + " call " + call + ": "
                            + difference);
                }
            }
            assertEquals(0, runner.pooledArrays()[1], "no array still lent after the calls");
            if (policy == KernelPolicy.SPARSE) {
                // every 4x4 and 2x2 convolution has chosen between the two sparse kernels by now
                assertTrue(runner.report().stream().filter(c -> c.operation().startsWith("conv") && c.batch() == 1)
                        .allMatch(c -> c.kernel() == KernelKind.SPARSE || c.kernel() == KernelKind.SPARSE_SMALL_PLANE),
                        runner.report().toString());
            }
        }
    }

    @Test
    void theCandidateAppliesOnlyToSmallPlanesDenseWeightsAndSmallBatches() {
        SmallPlaneCandidate dense = new SmallPlaneCandidate("c", new float[0], new float[0],
                org.rpg4j.sparse.kernel.FusedActivation.RELU, 1.0);
        SmallPlaneCandidate sparse = new SmallPlaneCandidate("c", new float[0], new float[0],
                org.rpg4j.sparse.kernel.FusedActivation.RELU, 0.1);
        org.rpg4j.sparse.kernel.ConvolutionShape fourByFour = new org.rpg4j.sparse.kernel.ConvolutionShape(4, 4, 4,
                4, 3, 3, 1, 1, 1, 1, 4, 4);
        org.rpg4j.sparse.kernel.ConvolutionShape eightByEight = new org.rpg4j.sparse.kernel.ConvolutionShape(4, 8, 8,
                4, 3, 3, 1, 1, 1, 1, 8, 8);
        assertTrue(dense.appliesTo(fourByFour, 1));
        assertTrue(dense.appliesTo(fourByFour, BatchedCandidate.MIN_BATCH - 1));
        assertTrue(!dense.appliesTo(fourByFour, BatchedCandidate.MIN_BATCH), "the batched kernel's range");
        assertTrue(!dense.appliesTo(eightByEight, 1), "plane above 16 pixels");
        assertTrue(!sparse.appliesTo(fourByFour, 1), "density below 0.5");
        assertEquals(null, dense.choice(1), "no choice before the timed runs");
        for (int run = 0; run < SmallPlaneCandidate.TIMED_RUNS; run++) {
            // the first (warm-up) run favours the per-image kernel and is ignored
            dense.record(1, run == 0 ? 1 : 100, 50);
        }
        assertEquals(KernelKind.SPARSE_SMALL_PLANE, dense.choice(1));
    }

    /** conv 3->6 at 8x8 (per-image kernel only), pool to 4x4, conv 6->7 and a residual 7->7 block at 4x4, pool to 2x2, conv 7->5. */
    private static ComputationGraph smallPlanes() {
        ComputationGraphConfiguration.GraphBuilder builder = PrunedNetworks.base().graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(8, 8, 3));
        conv(builder, "c0", "in", 6, true);
        builder.addLayer("p0", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(),
                "c0_out");
        conv(builder, "c1", "p0", 7, true);
        conv(builder, "c2", "c1_out", 7, true);
        conv(builder, "c3", "c2_out", 7, false);
        builder.addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "c3_out", "c1_out")
                .addLayer("r", new ActivationLayer(Activation.RELU), "add")
                .addLayer("p1", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(),
                        "r");
        conv(builder, "c4", "p1", 5, true);
        return PrunedNetworks.poolAndClassify(builder, "c4_out");
    }

    /** conv 3x3 (no bias) and batch norm, and a ReLU layer if asked; the last vertex is {@code name + "_out"}. */
    private static void conv(ComputationGraphConfiguration.GraphBuilder builder, String name, String input,
                             int channels, boolean relu) {
        builder.addLayer(name, new ConvolutionLayer.Builder(3, 3).nOut(channels).hasBias(false)
                .activation(Activation.IDENTITY).build(), input);
        builder.addLayer(relu ? name + "_bn" : name + "_out", new BatchNormalization.Builder().build(), name);
        if (relu) {
            builder.addLayer(name + "_out", new ActivationLayer(Activation.RELU), name + "_bn");
        }
    }
}
