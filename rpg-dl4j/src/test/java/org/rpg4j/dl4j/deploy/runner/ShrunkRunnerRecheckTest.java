package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A shrunk network's shapes (dense weights, 1-5 channels, residual blocks) through the runner's measured choice for
 * more calls than the calibration and its rechecks at calls 8, 16 and 32 after the decision: every call's output
 * stays within 1e-4 of DL4J's, whichever kernel each step runs and whether a recheck ran the other one.
 */
class ShrunkRunnerRecheckTest {

    private static final double TOLERANCE = 1e-4;
    private static final int CALLS = 45;

    @Test
    void everyCallMatchesDl4jThroughCalibrationAndRechecks() {
        // density 1 (sparsity 0): a structurally shrunk network's weights are dense
        ComputationGraph graph = PrunedNetworks.prune(PrunedNetworks.smallResidual(), 0.0, 5);
        SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults());
        for (int batch : new int[] {1, 3}) {
            Nd4j.getRandom().setSeed(batch);
            INDArray x = Nd4j.rand(DataType.FLOAT, batch, 2, 9, 7);
            INDArray expected = graph.outputSingle(x);
            double spread = expected.maxNumber().doubleValue() - expected.minNumber().doubleValue();
            assertTrue(spread > 0.01, "output too uniform for a meaningful comparison: spread " + spread);
            for (int call = 0; call < CALLS; call++) {
                double difference = PrunedNetworks.maxAbsDifference(runner.output(x)[0], expected);
                assertTrue(difference < TOLERANCE, "batch " + batch + " call " + call + ": " + difference);
            }
        }
        // every convolution was timed against oneDNN (not forced by density) and reports one kernel per batch size
        assertEquals(2 * 6, runner.report().stream().filter(c -> c.operation().startsWith("conv")).count(),
                runner.report().toString());
        assertEquals(0, runner.pooledArrays()[1], "no array still lent after the calls");
    }
}
