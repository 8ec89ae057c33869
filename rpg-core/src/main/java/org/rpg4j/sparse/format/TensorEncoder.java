package org.rpg4j.sparse.format;

/**
 * Encodes one tensor: the stored entries are those that are not zero ({@code value != 0.0f}, so NaN
 * is stored) plus, when given, those a keep-mask marks as kept (a pruning run's mask may keep
 * weights that are exactly 0.0). Entries not stored decode as +0.0f: a -0.0f (what masking a
 * negative weight by multiplication leaves) comes back as +0.0f. Storing its sign would cost as
 * much as a value; the two zeros are equal, and as a term of a sum with any non-zero term they give
 * the same bits. The encoding is whichever of dense,
 * bitmask + values and index gaps + values takes the fewest bytes before compression, counting
 * values as float32 (so the choice does not depend on the precision); ties go to dense, then bitmask.
 */
public final class TensorEncoder {
    private TensorEncoder() {}

    /**
     * @param layout the tensor's place and shape
     * @param values its entries in storage order, {@code layout.length()} of them (not modified)
     * @param precision precision of the stored values if the tensor is stored sparsely
     * @return the encoded tensor
     * @throws IllegalArgumentException if an argument is null, the length is wrong, or float16 cannot hold a value
     */
    public static EncodedTensor encode(TensorLayout layout, float[] values, ValuePrecision precision) {
        return encode(layout, values, null, precision);
    }

    /**
     * @param layout the tensor's place and shape
     * @param values its entries in storage order, {@code layout.length()} of them (not modified)
     * @param kept per entry, whether a pruning mask keeps it, in the same order; null when there is no mask
     * @param precision precision of the stored values if the tensor is stored sparsely
     * @return the encoded tensor
     * @throws IllegalArgumentException if a required argument is null, a length is wrong, or float16
     *     cannot hold a value
     */
    public static EncodedTensor encode(TensorLayout layout, float[] values, boolean[] kept, ValuePrecision precision) {
        if (layout == null || values == null || precision == null) {
            throw new IllegalArgumentException("layout, values and precision must not be null");
        }
        int length = layout.length();
        if (values.length != length || (kept != null && kept.length != length)) {
            throw new IllegalArgumentException("tensor '" + layout.name() + "' has " + length + " entries, got "
                    + values.length + " values" + (kept == null ? "" : " and " + kept.length + " mask entries"));
        }
        int[] positions = storedPositions(values, kept);
        long valueBytes = 4L * positions.length;
        long dense = 4L * length;
        long bitmask = PositionCodec.bitmaskBytes(length) + valueBytes;
        long gaps = positions.length == length ? Long.MAX_VALUE : PositionCodec.gapBytes(positions) + valueBytes;
        if (dense <= bitmask && dense <= gaps) {
            return new EncodedTensor(layout, TensorEncoding.DENSE, ValuePrecision.FLOAT32, length, new byte[0],
                    ValueCodec.encode(values, ValuePrecision.FLOAT32, layout.name()));
        }
        float[] stored = new float[positions.length];
        for (int i = 0; i < positions.length; i++) {
            stored[i] = values[positions[i]];
        }
        byte[] valueBytesEncoded = ValueCodec.encode(stored, precision, layout.name());
        return bitmask <= gaps
                ? new EncodedTensor(layout, TensorEncoding.BITMASK, precision, positions.length,
                        PositionCodec.encodeBitmask(positions, length), valueBytesEncoded)
                : new EncodedTensor(layout, TensorEncoding.INDEX_GAPS, precision, positions.length,
                        PositionCodec.encodeGaps(positions), valueBytesEncoded);
    }

    private static int[] storedPositions(float[] values, boolean[] kept) {
        int count = 0;
        for (int i = 0; i < values.length; i++) {
            if (values[i] != 0.0f || (kept != null && kept[i])) {
                count++;
            }
        }
        int[] positions = new int[count];
        int at = 0;
        for (int i = 0; i < values.length && at < count; i++) {
            if (values[i] != 0.0f || (kept != null && kept[i])) {
                positions[at++] = i;
            }
        }
        return positions;
    }
}
