package org.rpg4j.sparse.format;

/**
 * Precision of the values of tensors stored sparsely ({@link TensorEncoding#BITMASK} or
 * {@link TensorEncoding#INDEX_GAPS}). Dense tensors (biases, batch-norm parameters and statistics,
 * unpruned weights) are always float32, whatever this says.
 */
public enum ValuePrecision {
    /** IEEE 754 binary32: loading gives back the exact bits. */
    FLOAT32(4),
    /**
     * IEEE 754 binary16, rounded to nearest even: half the value bytes, about 3 significant decimal
     * digits; values beyond +-65504 cannot be written. The loaded network computes something slightly
     * different (docs/deployment.md reports the measured cost).
     */
    FLOAT16(2);

    private final int bytesPerValue;

    ValuePrecision(int bytesPerValue) {
        this.bytesPerValue = bytesPerValue;
    }

    /** @return bytes one stored value takes before compression (4 or 2) */
    public int bytesPerValue() {
        return bytesPerValue;
    }
}
