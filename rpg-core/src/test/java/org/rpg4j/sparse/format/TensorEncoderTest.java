package org.rpg4j.sparse.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TensorEncoderTest {

    private static TensorLayout layout(int length) {
        return new TensorLayout("t", new long[] {length}, 'c', 0);
    }

    @Test
    void handComputedChoices() {
        // 16 entries, 2 non-zero: dense 64 B; bitmask 2 + 8 = 10 B; gaps 2 + 8 = 10 B -> tie goes to bitmask
        float[] two = new float[16];
        two[3] = 1.5f;
        two[12] = -2f;
        EncodedTensor t = TensorEncoder.encode(layout(16), two, ValuePrecision.FLOAT32);
        assertEquals(TensorEncoding.BITMASK, t.encoding());
        assertArrayEquals(new byte[] {0b0000_1000, 0b0001_0000}, t.positions()); // bits 3 and 12 (= 8 + 4)
        // 1000 entries, 1 non-zero at 999: bitmask 125 + 4 B; gaps: gap 999 -> 2 varint bytes + 4 B
        float[] one = new float[1000];
        one[999] = 7f;
        EncodedTensor g = TensorEncoder.encode(layout(1000), one, ValuePrecision.FLOAT32);
        assertEquals(TensorEncoding.INDEX_GAPS, g.encoding());
        // 999 = 7 * 128 + 103: low group 103 | 0x80 = 0xE7, then 7
        assertArrayEquals(new byte[] {(byte) 0xE7, 7}, g.positions());
        // 4 entries, all non-zero: dense 16 B < bitmask 1 + 16 B
        assertEquals(TensorEncoding.DENSE,
                TensorEncoder.encode(layout(4), new float[] {1, 2, 3, 4}, ValuePrecision.FLOAT16).encoding());
    }

    @Test
    void maskKeptZerosAndNanAreStoredNegativeZeroIsNot() {
        float[] values = new float[64];
        values[5] = -0.0f;
        values[7] = Float.NaN;
        boolean[] kept = new boolean[64];
        kept[9] = true; // kept by the mask but exactly 0.0: stored
        EncodedTensor t = TensorEncoder.encode(layout(64), values, kept, ValuePrecision.FLOAT32);
        assertEquals(2, t.storedCount()); // entries 7 and 9
        float[] back = new float[64];
        back[5] = 1f;
        t.decodeInto(back);
        assertEquals(Float.floatToRawIntBits(0.0f), Float.floatToRawIntBits(back[5]), "-0.0 comes back as +0.0");
        assertTrue(Float.isNaN(back[7]));
    }

    @Test
    void seededRoundTripsAreBitExactAtEverySparsity() {
        SplittableRandom random = new SplittableRandom(42);
        for (double sparsity : new double[] {0.0, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999, 1.0}) {
            for (int length : new int[] {0, 1, 7, 8, 9, 1000, 100_003}) {
                float[] values = new float[length];
                for (int i = 0; i < length; i++) {
                    values[i] = random.nextDouble() < sparsity ? 0f : (float) random.nextGaussian() * 0.05f;
                }
                EncodedTensor t = TensorEncoder.encode(new TensorLayout("t", new long[] {length}, 'f', 3), values,
                        ValuePrecision.FLOAT32);
                float[] back = new float[length + 3];
                t.decodeInto(back);
                for (int i = 0; i < length; i++) {
                    assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(back[i + 3]),
                            "sparsity " + sparsity + " length " + length + " entry " + i + " (" + t.encoding() + ")");
                }
                long dense = 4L * length;
                assertTrue(t.rawBytes() <= dense, "never larger than dense");
            }
        }
    }

    @Test
    void float16StoresRoundedValues() {
        float[] values = new float[100];
        values[10] = 0.1f;
        values[50] = -3.14159f;
        EncodedTensor t = TensorEncoder.encode(layout(100), values, ValuePrecision.FLOAT16);
        assertEquals(2 * 2, t.values().length);
        float[] back = new float[100];
        t.decodeInto(back);
        assertEquals(Float16.toFloat(Float16.fromFloat(0.1f)), back[10]);
        assertEquals(Float16.toFloat(Float16.fromFloat(-3.14159f)), back[50]);
        assertEquals(0.1f, back[10], 0.1f * 0x1p-11f); // relative error at most half an ulp, 2^-11
    }

    @Test
    void badInputIsRejectedWithItsName() {
        float[] big = new float[100];
        big[1] = 70000f;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TensorEncoder.encode(layout(100), big, ValuePrecision.FLOAT16));
        assertTrue(e.getMessage().contains("'t'") && e.getMessage().contains("70000"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TensorEncoder.encode(layout(5), new float[4], ValuePrecision.FLOAT32));
        assertTrue(e.getMessage().contains("5 entries"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TensorLayout("x", new long[] {2}, 'k', 0));
        assertTrue(e.getMessage().contains("'k'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PositionCodec.decodeGaps(new byte[] {5}, 4, 1));
        assertTrue(e.getMessage().contains("entry 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PositionCodec.decodeBitmask(new byte[] {3}, 8, 1));
        assertTrue(e.getMessage().contains("1 positions"), e.getMessage());
    }
}
