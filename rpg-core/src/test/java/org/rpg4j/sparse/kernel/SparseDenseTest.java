package org.rpg4j.sparse.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SparseDenseTest {

    /**
     * float32 sums of {@code inputs} N(0, 1) products in another order than the double reference: the
     * rounding error grows with the number of terms (about eps = 6e-8 per term of size ~1).
     */
    private static double tolerance(int inputs) {
        return 1e-6 + 1e-7 * inputs;
    }

    @Test
    void handComputedCase() {
        // W = [[1, 0, 2], [0, 0, 0]], b = [0.5, -1], x = [3, 4, 5]: y = [3 + 10 + 0.5, -1] = [13.5, -1].
        float[] y = new float[2];
        SparseDense.of(new float[] {1, 0, 2, 0, 0, 0}, 2, 3, new float[] {0.5f, -1}, FusedActivation.IDENTITY,
                KernelThreading.CALLER_ONLY).forward(new float[] {3, 4, 5}, 1, y);
        assertArrayEquals(new float[] {13.5f, -1f}, y);
    }

    @Test
    void matchesDenseReferenceOnRandomShapesSparsitiesAndBatches() {
        Random random = new Random(17);
        for (int trial = 0; trial < 40; trial++) {
            int outputs = 1 + random.nextInt(300);
            int inputs = 1 + random.nextInt(300);
            for (double sparsity : new double[] {0.0, 0.6, 0.95, 0.99, 1.0}) {
                float[] w = DenseReference.sparseWeights(random, outputs, inputs, sparsity);
                float[] bias = random.nextBoolean() ? DenseReference.gaussian(random, outputs) : null;
                int batch = random.nextBoolean() ? 1 : 1 + random.nextInt(40);
                float[] x = DenseReference.gaussian(random, batch * inputs);
                boolean relu = random.nextBoolean();
                float[] y = new float[batch * outputs];
                SparseDense.of(w, outputs, inputs, bias, relu ? FusedActivation.RELU : FusedActivation.IDENTITY,
                        KernelThreading.values()[random.nextInt(2)],
                        KernelInstructions.values()[random.nextInt(2)]).forward(x, batch, y);
                double error = DenseReference.maxError(y, DenseReference.dense(w, outputs, inputs, bias, x, batch,
                        relu));
                assertTrue(error < tolerance(inputs), outputs + "x" + inputs + " sparsity " + sparsity + ": " + error);
            }
        }
    }

    @Test
    void badInputIsRejected() {
        SparseDense layer = SparseDense.of(new float[6], 2, 3, null, FusedActivation.IDENTITY,
                KernelThreading.CALLER_ONLY);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> layer.forward(new float[5], 2, new float[4]))
                .getMessage().contains("input must have length batch * inputs = 6, got 5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> layer.forward(new float[3], 1, new float[3]))
                .getMessage().contains("output must have length batch * outputs = 2, got 3"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SparseDense.of(new float[0], 0, 3, null,
                FusedActivation.IDENTITY, KernelThreading.CALLER_ONLY)).getMessage().contains("outputs=0"));
    }
}
