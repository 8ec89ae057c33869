package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A convolution step keeps the plan of its per-image kernel (the layout it writes for its readers) across calls of
 * one batch and input size, and derives it again once a reader's decision changes: the reader switching to the
 * dense kernel or to the small-plane kernel (both read plain NCHW) makes the producer write plain rows, switching
 * back makes it write the reader's padded layout again; every output stays within 1e-4 of DL4J's.
 */
class StepPlanTest {

    private static final double TOLERANCE = 1e-4;

    /**
     * Two pruned convolutions at batch 1, both preset to the per-image sparse kernel (measured policy).
     *
     * @param graph the DL4J network
     * @param runner its runner
     * @param producer the first convolution, whose output layout follows the reader
     * @param reader the second convolution
     * @param x one input image, {@code [1, 3, size, size]}
     */
    private record BothSparse(ComputationGraph graph, SparseRunner runner, ConvolutionStep producer,
                              ConvolutionStep reader, INDArray x) {

        static BothSparse of(int size) {
            ComputationGraph graph = PrunedNetworks.twoConvBnRelu(size);
            SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults().withPolicy(
                    KernelPolicy.MEASURED));
            List<ConvolutionStep> steps = convolutions(runner);
            steps.get(0).preset(1, KernelKind.SPARSE);
            steps.get(1).preset(1, KernelKind.SPARSE);
            return new BothSparse(graph, runner, steps.get(0), steps.get(1), input(size, 1));
        }

        /** The producer's plan at batch 1 on the input's plane. */
        ConvolutionStep.PerImagePlan plan() {
            int size = (int) x.size(2);
            return producer.perImagePlan(1, size, size);
        }

        void check(String what) {
            StepPlanTest.check(runner, graph, x, what);
        }
    }

    @Test
    void thePlanIsKeptUntilTheReaderTurnsDense() {
        BothSparse net = BothSparse.of(6);
        net.check("both sparse");
        ConvolutionStep.PerImagePlan padded = net.plan();
        assertNotNull(padded.outLayout(), "the sparse reader reads padded rows");
        assertSame(padded, net.plan(), "kept while no decision changes");
        net.check("both sparse, again");
        assertSame(padded, net.plan(), "kept across calls");

        net.reader().preset(1, KernelKind.DENSE);
        assertNull(net.plan().outLayout(), "a dense reader reads plain NCHW");
        net.check("reader dense");

        net.reader().preset(1, KernelKind.SPARSE);
        assertEquals(padded.outLayout(), net.plan().outLayout(), "sparse again: padded again");
        net.check("reader sparse again");
    }

    @Test
    void thePlanFollowsTheReadersSparseKernel() {
        // a 4x4 plane at batch 1: the reader may run the small-plane kernel, which reads plain NCHW
        BothSparse net = BothSparse.of(4);
        net.check("per-image reader");
        assertNotNull(net.plan().outLayout(), "the per-image reader reads padded rows");

        net.reader().preset(1, KernelKind.SPARSE_SMALL_PLANE);
        assertNull(net.plan().outLayout(), "the small-plane reader reads plain NCHW");
        net.check("small-plane reader");

        net.reader().preset(1, KernelKind.SPARSE);
        assertNotNull(net.plan().outLayout(), "per-image again: padded again");
        net.check("per-image reader again");
    }

    @Test
    void anotherBatchOrPlaneSizeGetsItsOwnPlan() {
        ComputationGraph graph = PrunedNetworks.twoConvBnRelu(6);
        SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults().withPolicy(KernelPolicy.SPARSE));
        ConvolutionStep producer = convolutions(runner).get(0);
        int[][] calls = {{1, 6}, {2, 6}, {1, 8}, {1, 6}};
        for (int[] call : calls) {
            check(runner, graph, input(call[1], call[0]), "batch " + call[0] + " plane " + call[1]);
            ConvolutionStep.PerImagePlan plan = producer.perImagePlan(call[0], call[1], call[1]);
            assertEquals(call[0], plan.outShape()[0]);
            assertEquals(call[1], plan.outShape()[2]);
            assertEquals(call[1], plan.outLayout().height());
        }
    }

    private static List<ConvolutionStep> convolutions(SparseRunner runner) {
        List<ConvolutionStep> steps = runner.steps().stream().filter(ConvolutionStep.class::isInstance).map(
                ConvolutionStep.class::cast).toList();
        assertEquals(2, steps.size());
        return steps;
    }

    private static INDArray input(int size, int batch) {
        Nd4j.getRandom().setSeed(size * 17L + batch);
        return Nd4j.rand(DataType.FLOAT, batch, 3, size, size);
    }

    private static void check(SparseRunner runner, ComputationGraph graph, INDArray x, String what) {
        double difference = PrunedNetworks.maxAbsDifference(runner.output(x)[0], graph.outputSingle(x));
        assertTrue(difference < TOLERANCE, what + ": " + difference);
    }
}
