package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link KernelWarmUp} and where {@link SparseRunner#calibrate} uses it: a measured runner warms once per batch size
 * before it times anything, a runner that times nothing does not, the split runner's first runner warms for all, and
 * the warm-up keeps to its bounds.
 */
class KernelWarmUpTest {

    private static final double TOLERANCE = 1e-4;

    @Test
    void aMeasuredRunnerWarmsOncePerBatchSizeBeforeTiming() {
        ComputationGraph graph = network();
        SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults());
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 2, 9, 7);
        assertFalse(runner.warmed(3));
        runner.calibrate(x);
        assertTrue(runner.warmed(3));
        assertFalse(runner.warmed(5), "only the calibrated batch size is warmed");
        assertMatchesDl4j(runner.output(x)[0], graph, x);
    }

    @Test
    void aRunnerThatTimesNothingDoesNotWarm() {
        SparseRunner runner = SparseRunner.compile(network(), RunnerOptions.defaults().withPolicy(KernelPolicy.SPARSE));
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 2, 9, 7);
        runner.calibrate(x);
        assertFalse(runner.warmed(2));
    }

    @Test
    void theSplitRunnersFirstRunnerWarmsForAll() {
        ComputationGraph graph = network();
        ImageSplitRunner split = ImageSplitRunner.compile(graph, RunnerOptions.defaults(), 2, 2);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 2, 9, 7);
        split.calibrate(x);
        SparseRunner[] runners = split.runners();
        assertTrue(runners[0].warmed(2));
        assertFalse(runners[1].warmed(2), "the second runner shares the first one's compiled kernels");
        assertMatchesDl4j(split.output(x)[0], graph, x);
    }

    @Test
    void theWarmUpKeepsToItsBounds() {
        SparseRunner sparse = SparseRunner.compile(network(), RunnerOptions.defaults().withPolicy(KernelPolicy.SPARSE));
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 2, 9, 7);
        long start = System.nanoTime();
        int calls = KernelWarmUp.warm(sparse, new INDArray[] {x});
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(calls >= 1 && calls <= KernelWarmUp.MAX_CALLS, "calls " + calls);
        // a call of this network takes well under a second, so the time bound can overrun by one call at most
        assertTrue(millis < KernelWarmUp.MAX_MILLIS + 1000, "warm-up took " + millis + " ms");
    }

    /** @return the small residual network at 70 % sparsity */
    private static ComputationGraph network() {
        return PrunedNetworks.prune(PrunedNetworks.smallResidual(), 0.7, 3);
    }

    private static void assertMatchesDl4j(INDArray actual, ComputationGraph graph, INDArray x) {
        double difference = PrunedNetworks.maxAbsDifference(actual, graph.outputSingle(x));
        assertTrue(difference < TOLERANCE, "after calibrate: " + difference);
    }
}
