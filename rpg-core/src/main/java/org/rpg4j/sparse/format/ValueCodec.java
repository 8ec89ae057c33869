package org.rpg4j.sparse.format;

/**
 * Stored values as byte planes: for n values of b bytes, plane k (k = 0 first) holds byte
 * {@code b - 1 - k} of every value (the most significant byte, sign and exponent, first). Grouping
 * the exponent bytes lets the zip's deflate compress them; mantissa bytes stay as they are. Lossless
 * for float32; float16 rounds (see {@link Float16}).
 */
final class ValueCodec {
    private ValueCodec() {}

    /**
     * @param values the values to store (not modified)
     * @param precision float32 or float16
     * @param tensorName for the error message
     * @return {@code values.length * precision.bytesPerValue()} bytes
     * @throws IllegalArgumentException if float16 is asked for a finite value beyond its range
     */
    static byte[] encode(float[] values, ValuePrecision precision, String tensorName) {
        int n = values.length;
        int width = precision.bytesPerValue();
        byte[] out = new byte[n * width];
        for (int i = 0; i < n; i++) {
            int bits = precision == ValuePrecision.FLOAT32 ? Float.floatToRawIntBits(values[i])
                    : half(values[i], tensorName);
            for (int k = 0; k < width; k++) {
                out[k * n + i] = (byte) (bits >>> (8 * (width - 1 - k)));
            }
        }
        return out;
    }

    /**
     * @param bytes bytes from {@link #encode}
     * @param count the number of values the manifest lists
     * @param precision the precision they were written in
     * @return the values as float32
     * @throws IllegalArgumentException if the byte count is not {@code count * bytesPerValue}
     */
    static float[] decode(byte[] bytes, int count, ValuePrecision precision) {
        int width = precision.bytesPerValue();
        if (bytes.length != (long) count * width) {
            throw new IllegalArgumentException("values hold " + bytes.length + " bytes, expected " + count
                    + " values of "
                    + width + " bytes");
        }
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            int bits = 0;
            for (int k = 0; k < width; k++) {
                bits = (bits << 8) | (bytes[k * count + i] & 0xff);
            }
            values[i] = precision == ValuePrecision.FLOAT32 ? Float.intBitsToFloat(bits) : Float16.toFloat(bits);
        }
        return values;
    }

    private static int half(float value, String tensorName) {
        if (Float16.overflows(value)) {
            throw new IllegalArgumentException("tensor '" + tensorName + "' holds " + value + ", beyond float16's "
                    + "range of +-" + Float16.MAX_VALUE + "; write it with ValuePrecision.FLOAT32");
        }
        return Float16.fromFloat(value);
    }
}
