package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.dl4j.layers.onednn.OneDnn;
import org.rpg4j.sparse.kernel.CallThreads;
import org.rpg4j.sparse.kernel.KernelThreading;

/**
 * A dense convolution under {@link KernelThreading#PER_CALL} with every step on the caller: from {@link
 * ConvolutionStep#OPENMP_BATCH} images and {@link ConvolutionStep#OPENMP_MACS} multiply-adds its one oneDNN call runs
 * on the runner's thread count of OpenMP threads (a primitive of its own), below either on one; with the pool chosen
 * the same unsplit call runs above both limits and the split over the pool's threads below them; the output equals
 * DL4J's within the runner's tolerance, and the caller's OpenMP count is restored after the call.
 */
class CallerOpenMpCallTest {

    private static final double TOLERANCE = 1e-4;
    private static final int BATCH = 16;

    @Test
    void largeCallerCallsUseTheRunnersThreadsInOpenMp() {
        int threads = KernelThreading.PER_CALL.threads();
        Assumptions.assumeTrue(OneDnn.applies() && OpenMpThreads.available() && threads >= 2,
                "needs oneDNN called directly, OpenMP thread control and two threads");
        ComputationGraph graph = PrunedNetworks.prune(PrunedNetworks.twoConvBnRelu(24), 0.0, 3);
        SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults().withPolicy(KernelPolicy.DENSE));
        // c0: 16 * 16 * 24 * 24 * 3 * 9 = 4.0 M multiply-adds per call at batch 16, below OPENMP_MACS;
        // c1: 16 * 16 * 24 * 24 * 16 * 9 = 21.2 M, above
        ConvolutionStep c0 = step(runner, "c0");
        ConvolutionStep c1 = step(runner, "c1");
        INDArray x = Nd4j.rand(DataType.FLOAT, BATCH, 3, 24, 24);
        INDArray small = Nd4j.rand(DataType.FLOAT, ConvolutionStep.OPENMP_BATCH - 1, 3, 24, 24);
        INDArray expected = graph.outputSingle(x);
        INDArray expectedSmall = graph.outputSingle(small);
        int before = OpenMpThreads.current();
        for (int call = 0; call < 4; call++) {
            INDArray caller = KernelThreading.callWith(CallThreads.CALLER, () -> runner.output(x)[0]);
            assertTrue(caller.equalsWithEps(expected, TOLERANCE), "caller, call " + call);
            assertEquals(before, OpenMpThreads.current(), "the caller's OpenMP count is restored");
            INDArray pool = KernelThreading.callWith(CallThreads.POOL_ABOVE_THRESHOLD, () -> runner.output(x)[0]);
            assertTrue(pool.equalsWithEps(expected, TOLERANCE), "pool, call " + call);
            INDArray callerSmall = KernelThreading.callWith(CallThreads.CALLER, () -> runner.output(small)[0]);
            assertTrue(callerSmall.equalsWithEps(expectedSmall, TOLERANCE), "caller, small batch, call " + call);
        }
        assertEquals(Set.of("0:0-16@" + BATCH + "x" + threads), parts(c1, BATCH, 8),
                "above both thresholds the caller's and the pool's calls run unsplit on OpenMP's threads");
        assertEquals(Set.of("0:0-16@" + BATCH, "0:0-16@8", "1:0-16@8"), parts(c0, BATCH, 8),
                "below OPENMP_MACS one OpenMP thread");
        int smallBatch = ConvolutionStep.OPENMP_BATCH - 1;
        assertEquals(Set.of("0:0-16@" + smallBatch), parts(c1, smallBatch, smallBatch),
                "below OPENMP_BATCH one OpenMP thread");
    }

    private static ConvolutionStep step(SparseRunner runner, String name) {
        return runner.steps().stream().filter(ConvolutionStep.class::isInstance).map(ConvolutionStep.class::cast)
                .filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /** @return the step's primitives of batch size {@code batch} or {@code half} (the parts of a split call) */
    private static Set<String> parts(ConvolutionStep step, int batch, int half) {
        Set<String> all = new TreeSet<>();
        for (String part : step.directParts()) {
            String size = part.substring(part.indexOf('@') + 1).replaceAll("x.*", "");
            if (size.equals(String.valueOf(batch)) || size.equals(String.valueOf(half))) {
                all.add(part);
            }
        }
        return all;
    }
}
