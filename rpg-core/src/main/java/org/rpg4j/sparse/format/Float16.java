package org.rpg4j.sparse.format;

/**
 * Conversions between float32 and IEEE 754 binary16 bit patterns (held in the low 16 bits of an
 * int): round to nearest, ties to even, subnormals kept, infinities and NaN kept (NaN stays NaN).
 * Java 17 has no {@code Float.floatToFloat16}, hence this class.
 */
public final class Float16 {
    /** The largest finite binary16 value, 65504. */
    public static final float MAX_VALUE = 65504f;
    /** Finite floats at or beyond this magnitude round to infinity in binary16 (65504 + half an ulp of 32). */
    static final float OVERFLOW_THRESHOLD = 65520f;

    private Float16() {}

    /**
     * @param value any float
     * @return the nearest binary16 bit pattern (ties to even), in {@code [0, 0xFFFF]}
     */
    public static int fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exponent == 0xff) {
            // infinity, or NaN kept quiet with its top payload bits
            return sign | 0x7c00 | (mantissa == 0 ? 0 : 0x200 | (mantissa >>> 13));
        }
        int halfExponent = exponent - 127 + 15;
        if (halfExponent >= 0x1f) {
            return sign | 0x7c00;
        }
        if (halfExponent <= 0) {
            return sign | subnormal(exponent == 0 ? mantissa : mantissa | 0x800000, halfExponent);
        }
        // normal: drop 13 mantissa bits, round half to even; a carry may ripple into the exponent (up to infinity)
        int half = sign | (halfExponent << 10) | (mantissa >>> 13);
        return half + roundUp(mantissa, 13, half);
    }

    /**
     * value = significand * 2^(exponent - 150); as a binary16 subnormal (unit 2^-24) that is
     * significand * 2^(halfExponent - 14), i.e. the significand shifted right by 14 - halfExponent.
     */
    private static int subnormal(int significand, int halfExponent) {
        int shift = 14 - halfExponent;
        if (shift > 24) {
            return 0; // below 2^-25: rounds to zero
        }
        int result = significand >>> shift;
        return result + roundUp(significand, shift, result);
    }

    /** @return 1 if dropping the low {@code dropped} bits of {@code bits} rounds up (nearest, ties to even) */
    private static int roundUp(int bits, int dropped, int kept) {
        int remainder = bits & ((1 << dropped) - 1);
        int halfway = 1 << (dropped - 1);
        return remainder > halfway || (remainder == halfway && (kept & 1) == 1) ? 1 : 0;
    }

    /**
     * @param half a binary16 bit pattern (only the low 16 bits are read)
     * @return its exact float32 value
     */
    public static float toFloat(int half) {
        int sign = (half & 0x8000) << 16;
        int exponent = (half >>> 10) & 0x1f;
        int mantissa = half & 0x3ff;
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f; // exact: at most 10 significant bits
            return sign == 0 ? magnitude : -magnitude;
        }
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    /**
     * @param value any float
     * @return whether {@code value} is finite and rounds to infinity in binary16 (so cannot be stored)
     */
    public static boolean overflows(float value) {
        return Float.isFinite(value) && Math.abs(value) >= OVERFLOW_THRESHOLD;
    }
}
