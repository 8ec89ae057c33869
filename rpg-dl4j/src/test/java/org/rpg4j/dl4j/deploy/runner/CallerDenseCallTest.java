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
 * A dense convolution step under {@link KernelThreading#PER_CALL}: one unsplit oneDNN call when the call runs every
 * step on the caller, the call split over the runner's threads under the fixed rule, the same result within the
 * runner's tolerance, and each primitive created once however the calls alternate.
 */
class CallerDenseCallTest {

    private static final double TOLERANCE = 1e-4;

    @Test
    void theCallerRunsOneUnsplitCallAndThePoolTheSplitOneEachPrimitiveCreatedOnce() {
        Assumptions.assumeTrue(OneDnn.applies() && OpenMpThreads.available() && KernelThreading.PER_CALL
                .threads() >= 2, "needs oneDNN called directly, OpenMP thread control and two threads");
        ComputationGraph graph = PrunedNetworks.prune(PrunedNetworks.twoConvBnRelu(12), 0.0, 3);
        SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults().withPolicy(KernelPolicy.DENSE));
        ConvolutionStep step = runner.steps().stream().filter(ConvolutionStep.class::isInstance).map(
                ConvolutionStep.class::cast).filter(s -> s.name().equals("c1")).findFirst().orElseThrow();
        for (int batch : new int[] {1, 4}) {
            INDArray x = Nd4j.rand(DataType.FLOAT, batch, 3, 12, 12);
            INDArray expected = graph.outputSingle(x);
            INDArray caller = KernelThreading.callWith(CallThreads.CALLER, () -> runner.output(x)[0]);
            assertEquals(Set.of("0:0-16@" + batch), parts(step, batch), "one unsplit call on the caller");
            INDArray pool = KernelThreading.callWith(CallThreads.POOL_ABOVE_THRESHOLD, () -> runner.output(x)[0]);
            Set<String> split = batch == 1 ? Set.of("0:0-16@1", "0:0-8@1", "1:8-16@1")
                    : Set.of("0:0-16@4", "0:0-16@2", "1:0-16@2");
            assertEquals(split, parts(step, batch), "the fixed rule splits the call in two");
            assertTrue(caller.equalsWithEps(expected, TOLERANCE), "caller, batch " + batch);
            assertTrue(pool.equalsWithEps(expected, TOLERANCE), "pool, batch " + batch);
            for (int call = 0; call < 6; call++) {
                CallThreads choice = call % 2 == 0 ? CallThreads.CALLER : CallThreads.POOL_ABOVE_THRESHOLD;
                INDArray out = KernelThreading.callWith(choice, () -> runner.output(x)[0]);
                assertTrue(out.equalsWithEps(expected, TOLERANCE), choice + " call " + call + ", batch " + batch);
            }
            assertEquals(split, parts(step, batch), "alternating calls create no primitive");
        }
    }

    @Test
    void theRunnersOwnChoiceMatchesDl4jAtEveryCall() {
        ComputationGraph graph = PrunedNetworks.prune(PrunedNetworks.twoConvBnRelu(12), 0.0, 3);
        SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults().withPolicy(KernelPolicy.DENSE));
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 3, 12, 12);
        INDArray expected = graph.outputSingle(x);
        // past the warm-up on the caller and the first round, which alternates the two choices
        for (int call = 0; call < CallThreadsCheck.WARM_UP_CALLS + 2 * ThreadRace.PAIRS + 2; call++) {
            INDArray out = runner.output(x)[0];
            assertTrue(out.equalsWithEps(expected, TOLERANCE), "call " + call + ": " + out + " against " + expected);
        }
    }

    /** @return the step's primitives of one batch size */
    private static Set<String> parts(ConvolutionStep step, int batch) {
        Set<String> all = new TreeSet<>();
        for (String part : step.directParts()) {
            if (part.endsWith("@" + batch) || batch > 1 && part.endsWith("@" + batch / 2)) {
                all.add(part);
            }
        }
        return all;
    }
}
