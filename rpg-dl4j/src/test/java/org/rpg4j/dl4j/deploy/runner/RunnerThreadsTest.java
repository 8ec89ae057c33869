package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.sparse.kernel.CallThreads;
import org.rpg4j.sparse.kernel.KernelThreading;

/** The runner's whole-call choice of threads ({@link KernelThreading#PER_CALL}): same outputs, and reported. */
class RunnerThreadsTest {

    /** Calls covering the warm-up, the first round (both choices timed), the gap and the second round. */
    private static final int CALLS = CallThreadsCheck.WARM_UP_CALLS + 2 * ThreadRace.PAIRS + ThreadRace.FIRST_GAP
            + 2 * ThreadRace.PAIRS;

    @Test
    void outputsAreBitIdenticalWhicheverThreadsACallRunsOn() {
        ComputationGraph graph = PrunedNetworks.prune(PrunedNetworks.basicBlock(16, true), 0.6, 7);
        for (KernelPolicy policy : new KernelPolicy[] {KernelPolicy.SPARSE, KernelPolicy.DENSE}) {
            // the fixed threshold's runner splits its work into the same tasks (same thread count)
            SparseRunner reference = SparseRunner.compile(graph, RunnerOptions.defaults().withPolicy(policy)
                    .withThreading(KernelThreading.COMMON_POOL));
            SparseRunner chosen = SparseRunner.compile(graph, RunnerOptions.defaults().withPolicy(policy));
            for (int batch : new int[] {1, 4}) {
                INDArray x = Nd4j.rand(DataType.FLOAT, batch, 3, 16, 16);
                float[] expected = reference.output(x)[0].data().asFloat();
                assertTrue(expected[0] != expected[1], "a meaningful comparison needs differing outputs");
                for (int call = 0; call < CALLS; call++) {
                    assertArrayEquals(expected, chosen.output(x)[0].data().asFloat(), policy + " batch " + batch
                            + " call " + call);
                }
            }
            assertReportsChoices(chosen.report(), policy);
        }
    }

    @Test
    void onlyPerCallThreadingChooses() {
        ComputationGraph graph = PrunedNetworks.prune(PrunedNetworks.basicBlock(16, true), 0.6, 7);
        for (KernelThreading threading : new KernelThreading[] {KernelThreading.CALLER_ONLY,
                KernelThreading.COMMON_POOL}) {
            SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults().withThreading(threading));
            INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 16, 16);
            for (int call = 0; call < CALLS; call++) {
                runner.output(x);
            }
            assertTrue(runner.report().stream().noneMatch(c -> c.calibration().contains("whole calls")), threading
                    + ": " + runner.report());
        }
    }

    @Test
    void aChoiceSetAroundTheRunnerCallHoldsForEveryStepAndIsNotTimed() {
        ComputationGraph graph = PrunedNetworks.prune(PrunedNetworks.basicBlock(16, true), 0.6, 7);
        SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults().withPolicy(KernelPolicy.SPARSE));
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 16, 16);
        float[] expected = SparseRunner.compile(graph, RunnerOptions.defaults().withPolicy(KernelPolicy.SPARSE)
                .withThreading(KernelThreading.COMMON_POOL)).output(x)[0].data().asFloat();
        for (CallThreads choice : CallThreads.values()) {
            for (int call = 0; call < CALLS; call++) {
                assertArrayEquals(expected, KernelThreading.callWith(choice, () -> runner.output(x)[0]).data()
                        .asFloat(), choice + " call " + call);
            }
        }
        assertTrue(runner.report().stream().noneMatch(c -> c.calibration().contains("whole calls")), runner.report()
                .toString());
    }

    private static void assertReportsChoices(List<LayerChoice> report, KernelPolicy policy) {
        for (LayerChoice line : report) {
            String text = policy + ": " + line;
            if (line.batch() > 0) {
                assertTrue(line.calibration().matches(".*whole calls put (every step|steps of at least).*"), text);
            } else {
                assertTrue(line.calibration().matches(".*batch 1 whole calls put .*; batch 4 whole calls put .*"),
                        text);
            }
        }
        assertEquals(2, report.stream().filter(c -> c.name().equals("c1")).count(), "one line per batch size");
    }
}
