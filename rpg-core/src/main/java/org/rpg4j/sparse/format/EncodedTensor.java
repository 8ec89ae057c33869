package org.rpg4j.sparse.format;

import java.util.Arrays;

/**
 * One tensor as it is stored in the file (from {@link TensorEncoder}, or read back by
 * {@link SparseModelReader}).
 *
 * @param layout where the tensor lies in the flat parameter vector
 * @param encoding dense, bitmask or index gaps
 * @param precision precision of {@code values} (always float32 for {@link TensorEncoding#DENSE})
 * @param storedCount number of stored values ({@code layout.length()} when dense)
 * @param positions the encoded positions (empty when dense); not copied, do not modify
 * @param values the stored values as byte planes ({@link ValueCodec}); not copied, do not modify
 */
public record EncodedTensor(TensorLayout layout, TensorEncoding encoding, ValuePrecision precision, int storedCount,
                            byte[] positions, byte[] values) {
    /**
     * @param layout where the tensor lies in the flat parameter vector
     * @param encoding dense, bitmask or index gaps
     * @param precision precision of {@code values}
     * @param storedCount number of stored values
     * @param positions the encoded positions (empty when dense)
     * @param values the stored values as byte planes
     * @throws IllegalArgumentException if a field is null or the sizes contradict each other
     */
    public EncodedTensor {
        if (layout == null || encoding == null || precision == null || positions == null || values == null) {
            throw new IllegalArgumentException("layout, encoding, precision, positions and values must not be null");
        }
        if (storedCount < 0 || storedCount > layout.length()) {
            throw new IllegalArgumentException("storedCount of tensor '" + layout.name() + "' must be in [0, "
                    + layout.length() + "], got " + storedCount);
        }
        if (encoding == TensorEncoding.DENSE
                && (precision != ValuePrecision.FLOAT32 || storedCount != layout.length() || positions.length != 0)) {
            throw new IllegalArgumentException("dense tensor '" + layout.name() + "' must store all " + layout.length()
                    + " values as FLOAT32 with no positions, got " + storedCount + " " + precision + " values and "
                    + positions.length + " position bytes");
        }
    }

    /** @return bytes before compression: positions plus values */
    public long rawBytes() {
        return (long) positions.length + values.length;
    }

    /** @return the fraction of entries not stored (zero for dense), in [0, 1] */
    public double sparsity() {
        int length = layout.length();
        return length == 0 ? 0.0 : 1.0 - (double) storedCount / length;
    }

    /**
     * Writes the tensor's entries into {@code parameters[offset, offset + length)}: stored values at
     * their positions, 0.0f elsewhere.
     *
     * @param parameters the flat parameter vector, modified in the tensor's range only
     * @throws IllegalArgumentException if the range does not fit or the encoded bytes are inconsistent
     */
    public void decodeInto(float[] parameters) {
        int offset = layout.offset();
        int length = layout.length();
        if ((long) offset + length > parameters.length) {
            throw new IllegalArgumentException("tensor '" + layout.name() + "' ends at " + ((long) offset + length)
                    + ", past the " + parameters.length + " parameters");
        }
        float[] stored = ValueCodec.decode(values, storedCount, precision);
        if (encoding == TensorEncoding.DENSE) {
            System.arraycopy(stored, 0, parameters, offset, length);
            return;
        }
        int[] indices = decodePositions();
        Arrays.fill(parameters, offset, offset + length, 0.0f);
        for (int i = 0; i < indices.length; i++) {
            parameters[offset + indices[i]] = stored[i];
        }
    }

    /**
     * Checks that the bytes are consistent with the layout and count (value bytes, positions) without
     * decoding the values.
     *
     * @throws IllegalArgumentException describing the first inconsistency
     */
    public void check() {
        long expected = (long) storedCount * precision.bytesPerValue();
        if (values.length != expected) {
            throw new IllegalArgumentException("values hold " + values.length + " bytes, expected " + expected
                    + " for " + storedCount + " " + precision + " values");
        }
        if (encoding != TensorEncoding.DENSE) {
            decodePositions();
        }
    }

    private int[] decodePositions() {
        int length = layout.length();
        return encoding == TensorEncoding.BITMASK ? PositionCodec.decodeBitmask(positions, length, storedCount)
                : PositionCodec.decodeGaps(positions, length, storedCount);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncodedTensor t && layout.equals(t.layout) && encoding == t.encoding
                && precision == t.precision && storedCount == t.storedCount && Arrays.equals(positions, t.positions)
                && Arrays.equals(values, t.values);
    }

    @Override
    public int hashCode() {
        return 31 * layout.hashCode() + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return layout + " " + encoding + " " + precision + " stored " + storedCount;
    }
}
