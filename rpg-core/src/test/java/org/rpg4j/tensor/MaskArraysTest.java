package org.rpg4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.rpg4j.mask.MaskCounts;

class MaskArraysTest {

    /** A DL4J-like parameter view: [rows, cols] in {@code order}, at offset {@code start} of a flat [1, 100] buffer. */
    private static INDArray paramView(INDArray flat, int start, char order, long rows, long cols) {
        INDArray slice = flat.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(start, start + rows * cols));
        return slice.reshape(order, rows, cols);
    }

    private static INDArray flatBuffer() {
        return Nd4j.linspace(DataType.FLOAT, 0, 100, 1).reshape(1, 100);
    }

    @Test
    void valuesIntoAFittingArrayOverwriteItAndOtherwiseAllocate() {
        INDArray flat = flatBuffer();
        INDArray c = paramView(flat, 10, 'c', 4, 6);
        INDArray f = paramView(flat, 40, 'f', 4, 6);
        for (INDArray a : new INDArray[] {c, f, c.castTo(DataType.DOUBLE)}) {
            float[] into = new float[24];
            java.util.Arrays.fill(into, -7f);
            float[] v = MaskArrays.values(a, into);
            assertSame(into, v, "a fitting array is reused");
            assertArrayEquals(MaskArrays.values(a), v, 0.0f);
            float[] wrongLength = new float[23];
            float[] fresh = MaskArrays.values(a, wrongLength);
            assertNotSame(wrongLength, fresh, "an array of another length is not used");
            assertArrayEquals(MaskArrays.values(a), fresh, 0.0f);
            assertEquals(0f, wrongLength[0], 0.0f, "and not written");
        }
    }

    @Test
    void valuesOfAnFOrderViewWithOffsetAreLogicalCOrder() {
        INDArray flat = flatBuffer();
        INDArray w = paramView(flat, 10, 'f', 4, 6);
        assertTrue(w.isView() && w.ordering() == 'f' && w.offset() == 10, "test needs an offset 'f' view");
        float[] v = MaskArrays.values(w);
        assertEquals(24, v.length);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 6; j++) {
                // 'f' storage: element (i, j) sits at buffer offset 10 + i + 4 * j
                assertEquals(10 + i + 4 * j, v[i * 6 + j], 0.0f, "(" + i + "," + j + ")");
                assertEquals(w.getFloat(i, j), v[i * 6 + j], 0.0f);
            }
        }
    }

    @Test
    void valuesOfACOrderViewWithOffsetAndConvShape() {
        INDArray flat = flatBuffer();
        INDArray slice = flat.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(40, 64));
        INDArray w = slice.reshape('c', 2, 3, 2, 2);
        float[] v = MaskArrays.values(w);
        for (int i = 0; i < 24; i++) {
            assertEquals(40 + i, v[i], 0.0f);
        }
        float[] m = MaskArrays.magnitudes(w.neg());
        assertEquals(40f, m[0], 0.0f);
    }

    @Test
    void maskArrayZeroesTheLogicalPositionsOfAnFOrderView() {
        INDArray flat = flatBuffer().addi(1.0f);
        INDArray w = paramView(flat, 10, 'f', 4, 6);
        boolean[] mask = new boolean[24];
        mask[0] = true; // (0, 0)
        mask[7] = true; // (1, 1)
        mask[23] = true; // (3, 5)
        INDArray maskArray = MaskArrays.toMaskArray(mask, new long[] {4, 6}, DataType.FLOAT);
        assertEquals('c', maskArray.ordering());
        w.muli(maskArray);
        float[] after = MaskArrays.values(w);
        for (int k = 0; k < 24; k++) {
            assertEquals(mask[k] ? 11 + (k / 6) + 4 * (k % 6) : 0f, after[k], 0.0f, "flat " + k);
        }
        // outside the view the buffer is untouched
        assertEquals(10f, flat.getFloat(0, 9), 0.0f);
        assertEquals(35f, flat.getFloat(0, 34), 0.0f);
        assertArrayEquals(mask, MaskArrays.fromMaskArray(maskArray));
    }

    @Test
    void maskArrayRoundTripsInOtherTypesAndOrders() {
        boolean[] mask = {true, false, false, true, true, false};
        INDArray d = MaskArrays.toMaskArray(mask, new long[] {2, 3}, DataType.DOUBLE);
        assertEquals(DataType.DOUBLE, d.dataType());
        assertEquals(1.0, d.getDouble(1, 0), 0.0);
        assertArrayEquals(mask, MaskArrays.fromMaskArray(d));
        assertArrayEquals(mask, MaskArrays.fromMaskArray(d.dup('f')));
        assertEquals(3, MaskCounts.count(mask));
    }

    @Test
    void largeMaskArraysHoldExactlyTheMaskInEveryPositionAndType() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        boolean[] mask = new boolean[64 * 32 * 3 * 3];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = random.nextInt(3) == 0;
        }
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16}) {
            INDArray array = MaskArrays.toMaskArray(mask, new long[] {64, 32, 3, 3}, type);
            assertEquals(type, array.dataType());
            assertArrayEquals(new long[] {64, 32, 3, 3}, array.shape());
            assertArrayEquals(mask, MaskArrays.fromMaskArray(array), type.toString());
        }
        assertEquals(0, MaskArrays.toMaskArray(new boolean[0], new long[] {0, 3}, DataType.FLOAT).length());
    }

    @Test
    void rejectsBadMaskArraysAndShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MaskArrays.fromMaskArray(Nd4j.createFromArray(0f, 0.5f)));
        assertTrue(e.getMessage().contains("0.5") && e.getMessage().contains("index 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MaskArrays.toMaskArray(new boolean[5], new long[] {2, 3}, DataType.FLOAT));
        assertTrue(e.getMessage().contains("shape") && e.getMessage().contains("5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MaskArrays.values(null));
        assertThrows(IllegalArgumentException.class, () -> MaskCounts.count(null));
    }
}
