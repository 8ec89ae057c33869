package org.rpg4j.sparse.format;

/**
 * The two encodings of a tensor's stored positions (sorted, distinct entry indices in
 * {@code [0, length)}): a bitmask and varint index gaps. Decoding validates what it reads and
 * throws {@link IllegalArgumentException} on bytes no encoder writes.
 */
final class PositionCodec {
    private PositionCodec() {}

    /** @return bytes of the bitmask of a tensor of {@code length} entries */
    static long bitmaskBytes(int length) {
        return (length + 7L) / 8;
    }

    /**
     * @param positions sorted distinct indices in {@code [0, length)} (not modified)
     * @return bytes of their varint gap encoding
     */
    static long gapBytes(int[] positions) {
        long bytes = 0;
        int previous = -1;
        for (int p : positions) {
            bytes += varintLength(p - previous - 1);
            previous = p;
        }
        return bytes;
    }

    /** Bit {@code i & 7} (LSB first) of byte {@code i >> 3} is set for each stored index {@code i}. */
    static byte[] encodeBitmask(int[] positions, int length) {
        byte[] mask = new byte[(int) bitmaskBytes(length)];
        for (int p : positions) {
            mask[p >>> 3] |= (byte) (1 << (p & 7));
        }
        return mask;
    }

    /**
     * @param mask a bitmask from {@link #encodeBitmask}
     * @param length the tensor's entry count
     * @param count the number of set bits the manifest promises
     * @return the set indices, ascending
     * @throws IllegalArgumentException if the size, a bit past {@code length} or the count disagrees
     */
    static int[] decodeBitmask(byte[] mask, int length, int count) {
        if (mask.length != bitmaskBytes(length)) {
            throw new IllegalArgumentException("bitmask has " + mask.length + " bytes, expected "
                    + bitmaskBytes(length) + " for " + length + " entries");
        }
        int[] positions = new int[count];
        int found = 0;
        for (int b = 0; b < mask.length; b++) {
            int bits = mask[b] & 0xff;
            while (bits != 0) {
                int index = (b << 3) + Integer.numberOfTrailingZeros(bits);
                if (index >= length || found == count) {
                    throw new IllegalArgumentException("bitmask sets more than the " + count + " positions the "
                            + "manifest lists, or a bit past entry " + (length - 1));
                }
                positions[found++] = index;
                bits &= bits - 1;
            }
        }
        if (found != count) {
            throw new IllegalArgumentException("bitmask sets " + found + " positions, the manifest lists " + count);
        }
        return positions;
    }

    /** Each gap {@code index - previous - 1} (previous starts at -1) as an unsigned LEB128 varint. */
    static byte[] encodeGaps(int[] positions) {
        byte[] out = new byte[(int) gapBytes(positions)];
        int at = 0;
        int previous = -1;
        for (int p : positions) {
            int gap = p - previous - 1;
            while ((gap & ~0x7f) != 0) {
                out[at++] = (byte) ((gap & 0x7f) | 0x80);
                gap >>>= 7;
            }
            out[at++] = (byte) gap;
            previous = p;
        }
        return out;
    }

    /**
     * @param gaps bytes from {@link #encodeGaps}
     * @param length the tensor's entry count
     * @param count the number of positions the manifest promises
     * @return the indices, ascending
     * @throws IllegalArgumentException if the bytes do not decode to exactly {@code count} indices below {@code length}
     */
    static int[] decodeGaps(byte[] gaps, int length, int count) {
        int[] positions = new int[count];
        int at = 0;
        long previous = -1;
        for (int i = 0; i < count; i++) {
            long gap = 0;
            for (int shift = 0;; shift += 7) {
                if (at == gaps.length || shift > 28) {
                    throw new IllegalArgumentException("index gaps end or overflow inside position " + i + " of "
                            + count);
                }
                int b = gaps[at++];
                gap |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            previous += gap + 1;
            if (previous >= length) {
                throw new IllegalArgumentException("index gaps reach entry " + previous + ", past the last entry "
                        + (length - 1));
            }
            positions[i] = (int) previous;
        }
        if (at != gaps.length) {
            throw new IllegalArgumentException("index gaps hold " + (gaps.length - at) + " bytes after the " + count
                    + " positions the manifest lists");
        }
        return positions;
    }

    private static int varintLength(int value) {
        // 7 payload bits per byte: 1 byte below 2^7, 2 below 2^14, ...
        return value < (1 << 7) ? 1 : value < (1 << 14) ? 2 : value < (1 << 21) ? 3 : value < (1 << 28) ? 4 : 5;
    }
}
