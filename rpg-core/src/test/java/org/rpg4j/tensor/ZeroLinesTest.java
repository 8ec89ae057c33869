package org.rpg4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ZeroLinesTest {

    /**
     * A convolution [4, 2, 2, 2] is the matrix [4, 8], column = (in * 2 + kh) * 2 + kw. Zeroing
     * output channel 1 gives 1 zero row; zeroing input channel 1 gives columns 4..7 (4 zero
     * columns), and position (in 0, kh 0, kw 1) column 1: 5 zero columns. -0.0 counts as zero,
     * 1e-30 does not (row 2 keeps only a 1e-30 and a -0.0: not a zero row).
     */
    @Test
    void countsExactlyOnAHandMadeConvolution() {
        INDArray w = Nd4j.linspace(DataType.FLOAT, 1, 32, 1).reshape('c', 4, 2, 2, 2);
        w.get(NDArrayIndex.point(1)).assign(0);
        w.get(NDArrayIndex.all(), NDArrayIndex.point(1)).assign(0);
        w.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.point(0), NDArrayIndex.point(1)).assign(0);
        w.get(NDArrayIndex.point(2)).assign(0);
        w.putScalar(new long[] {2, 0, 0, 0}, 1e-30f);
        w.putScalar(new long[] {2, 0, 1, 0}, -0.0f);
        assertEquals(new ZeroLines(1, 5), ZeroLines.of(w));
        // 1e-30 sits in column 0 (in 0, kh 0, kw 0), which other rows fill anyway
        assertEquals(new ZeroLines(0, 0), ZeroLines.of(Nd4j.linspace(DataType.DOUBLE, 1, 6, 1).reshape(2, 3)));
    }

    /** A DL4J dense weight [in = 3, out = 5] stored 'f', seen output first (transposed): unit 4 unused, input 0 unused. */
    @Test
    void countsADenseWeightSeenOutputFirst() {
        INDArray w = Nd4j.create(DataType.FLOAT, new long[] {3, 5}, 'f').assign(0.5);
        w.get(NDArrayIndex.all(), NDArrayIndex.point(4)).assign(0);
        w.get(NDArrayIndex.point(0), NDArrayIndex.all()).assign(0);
        assertEquals(new ZeroLines(1, 1), ZeroLines.of(w.transpose()));
        assertEquals(new ZeroLines(5, 3), ZeroLines.of(Nd4j.zeros(DataType.FLOAT, 5, 3)));
    }

    @Test
    void rejectsVectorsAndNull() {
        assertThrows(IllegalArgumentException.class, () -> ZeroLines.of(null));
        assertThrows(IllegalArgumentException.class, () -> ZeroLines.of(Nd4j.ones(DataType.FLOAT, 4)));
        assertThrows(IllegalArgumentException.class, () -> new ZeroLines(-1, 0));
    }
}
