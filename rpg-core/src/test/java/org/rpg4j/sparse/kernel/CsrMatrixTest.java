package org.rpg4j.sparse.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CsrMatrixTest {

    @Test
    void encodesAHandWrittenMatrix() {
        // [[0, 2, 0], [0, 0, 0], [-1, 0, 3]]: row 1 empty, 3 non-zeros of 9.
        float[] dense = {0, 2, 0, 0, 0, 0, -1, 0, 3};
        CsrMatrix csr = CsrMatrix.fromDense(dense, 3, 3);
        assertArrayEquals(new int[] {0, 1, 1, 3}, csr.rowStarts());
        assertArrayEquals(new int[] {1, 0, 2}, csr.columns());
        assertArrayEquals(new float[] {2, -1, 3}, csr.values());
        assertEquals(3.0 / 9.0, csr.density(), 0.0);
        assertArrayEquals(dense, csr.toDense());
    }

    @Test
    void dropsNegativeZeroAndRoundTripsRandomMatrices() {
        assertEquals(0, CsrMatrix.fromDense(new float[] {-0.0f, 0.0f}, 1, 2).nonZeros());
        Random random = new Random(3);
        for (int trial = 0; trial < 20; trial++) {
            int rows = 1 + random.nextInt(20);
            int cols = 1 + random.nextInt(20);
            float[] dense = DenseReference.sparseWeights(random, rows, cols, random.nextDouble());
            CsrMatrix csr = CsrMatrix.fromDense(dense, rows, cols);
            assertArrayEquals(dense, csr.toDense());
            int expected = 0;
            for (float v : dense) {
                expected += v != 0 ? 1 : 0;
            }
            assertEquals(expected, csr.nonZeros());
        }
    }

    @Test
    void emptyShapeHasNoEntries() {
        CsrMatrix csr = CsrMatrix.fromDense(new float[0], 0, 5);
        assertEquals(0, csr.nonZeros());
        assertEquals(0.0, csr.density(), 0.0);
    }

    @Test
    void badInputNamesTheParameter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CsrMatrix.fromDense(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("dense must have length rows * cols = 6, got 5"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CsrMatrix.fromDense(new float[0], -1, 0))
                .getMessage().contains("rows=-1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CsrMatrix.fromDense(null, 1, 1))
                .getMessage().contains("null"));
    }
}
