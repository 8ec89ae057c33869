package org.rpg4j.sparse.format;

/** How one tensor's entries are stored in the sparse model file. */
public enum TensorEncoding {
    /** Every value, float32, in storage order: {@code 4 * length} bytes. */
    DENSE,
    /** One bit per entry (LSB first; set = stored) plus the stored values: {@code ceil(length / 8)} bytes of positions. */
    BITMASK,
    /**
     * The gap before each stored entry ({@code index - previousIndex - 1}, the first from index -1) as an
     * unsigned LEB128 varint, plus the stored values: one byte per gap below 128.
     */
    INDEX_GAPS
}
