package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class InterleavedRunnerTest {

    /** Float32 sums of up to 5 x 3 x 3 products through five layers and a softmax, against DL4J's own order. */
    private static final double TOLERANCE = 1e-4;

    @Test
    void matchesDl4jOnAResidualGraphWithAProjectionShortcut() {
        // stem 2->3, an identity block, a stride-2 block 3->5 with a 1x1 projection; batch norms with random
        // statistics (folded), 9x7 input; batch 16 (one group), 20 (a partial last group), 40 (three groups)
        ComputationGraph graph = PrunedNetworks.prune(PrunedNetworks.smallResidual(), 0.0, 7);
        for (int threads : new int[] {1, 2}) {
            InterleavedRunner runner = InterleavedRunner.compile(graph, threads);
            for (int batch : new int[] {16, 20, 40, 3}) {
                Nd4j.getRandom().setSeed(batch);
                INDArray input = Nd4j.randn(DataType.FLOAT, batch, 2, 9, 7);
                INDArray copy = input.dup();
                INDArray expected = graph.outputSingle(false, input);
                INDArray actual = runner.output(input);
                double difference = PrunedNetworks.maxAbsDifference(actual, expected);
                assertTrue(difference < TOLERANCE, "threads " + threads + " batch " + batch + ": " + difference);
                assertEquals(0.0, PrunedNetworks.maxAbsDifference(copy, input), "input modified");
            }
        }
    }

    @Test
    void refusesAnotherLayerByItsVertexName() {
        ComputationGraph graph = PrunedNetworks.basicBlock(8, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InterleavedRunner.compile(
                graph, 1));
        assertTrue(e.getMessage().contains("'max'"), e.getMessage());
        IllegalArgumentException threads = assertThrows(IllegalArgumentException.class, () -> InterleavedRunner
                .compile(PrunedNetworks.smallResidual(), 0));
        assertTrue(threads.getMessage().startsWith("threads"), threads.getMessage());
        InterleavedRunner runner = InterleavedRunner.compile(PrunedNetworks.smallResidual(), 1);
        IllegalArgumentException input = assertThrows(IllegalArgumentException.class, () -> runner.output(Nd4j
                .zeros(DataType.FLOAT, 16, 2, 9)));
        assertTrue(input.getMessage().startsWith("input"), input.getMessage());
    }
}
