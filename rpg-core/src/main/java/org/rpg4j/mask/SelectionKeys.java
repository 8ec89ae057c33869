package org.rpg4j.mask;

/**
 * Order-preserving int keys of float values, produced per array and chunk for {@link RadixCut}.
 * Ineligible positions get {@link #INELIGIBLE} ({@link Integer#MIN_VALUE}, the key a negative NaN
 * would have; NaN is rejected), so they sort below every eligible key and fall in histogram bin 0,
 * where no eligible key can fall.
 */
abstract class SelectionKeys {
    static final int INELIGIBLE = Integer.MIN_VALUE;

    /** @return number of arrays */
    abstract int arrays();

    /** @return length of array {@code a}, or -1 if it takes no part */
    abstract int length(int a);

    /**
     * Writes the keys of positions {@code [from, to)} of array {@code a} to {@code out} from
     * {@code offset} on.
     *
     * @throws IllegalArgumentException if one of those values is NaN
     */
    abstract void fill(int a, int from, int to, int[] out, int offset);

    /** Key of a float such that signed int order equals float order; -0.0 and 0.0 share a key. */
    static int valueKey(float x) {
        // x + 0.0f turns -0.0 into 0.0; negative floats get their magnitude bits flipped
        int bits = Float.floatToRawIntBits(x + 0.0f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    /** @return the float whose value key is {@code key} (magnitude keys are value keys of {@code |x|}) */
    static float valueOfKey(int key) {
        return Float.intBitsToFloat(key >= 0 ? key : key ^ 0x7fffffff);
    }

    /**
     * Magnitude keys ({@code |x|}; all positions eligible).
     *
     * @param name parameter name for the NaN error
     * @param values the arrays
     * @param active null, or per array: where false the key is that of 0.0
     * @param included null, or per array: where false the array takes no part
     */
    static SelectionKeys magnitudes(String name, float[][] values, boolean[][] active, boolean[] included) {
        return new SelectionKeys() {
            @Override
            int arrays() {
                return values.length;
            }

            @Override
            int length(int a) {
                return included == null || included[a] ? values[a].length : -1;
            }

            @Override
            void fill(int a, int from, int to, int[] out, int offset) {
                float[] v = values[a];
                boolean[] act = active == null ? null : active[a];
                int max = 0;
                int shift = offset - from;
                if (act == null) {
                    for (int i = from; i < to; i++) {
                        int k = Float.floatToRawIntBits(v[i]) & 0x7fffffff;
                        out[i + shift] = k;
                        max = Math.max(max, k);
                    }
                } else {
                    for (int i = from; i < to; i++) {
                        int k = Float.floatToRawIntBits(v[i]) & 0x7fffffff;
                        // branch-free (masks are unpredictable): -1 where active, 0 where not
                        out[i + shift] = k & -(act[i] ? 1 : 0);
                        max = Math.max(max, k);
                    }
                }
                if (max > 0x7f800000) {
                    throw nanError(values.length == 1 ? name : name + "[" + a + "]", v);
                }
            }
        };
    }

    /**
     * Value keys of one array.
     *
     * @param name parameter name for the NaN error
     * @param values the array
     * @param filter null, or where {@code filter[i] != keeps} the position is ineligible
     * @param keeps see {@code filter}
     */
    static SelectionKeys values(String name, float[] values, boolean[] filter, boolean keeps) {
        return new SelectionKeys() {
            @Override
            int arrays() {
                return 1;
            }

            @Override
            int length(int a) {
                return values.length;
            }

            @Override
            void fill(int a, int from, int to, int[] out, int offset) {
                boolean nan = false;
                int shift = offset - from;
                if (filter == null) {
                    for (int i = from; i < to; i++) {
                        float x = values[i];
                        nan |= x != x;
                        out[i + shift] = valueKey(x);
                    }
                } else {
                    // branch-free (filters are unpredictable): eligible -1, ineligible 0
                    int flip = keeps ? 0 : -1;
                    for (int i = from; i < to; i++) {
                        float x = values[i];
                        nan |= x != x;
                        int eligible = -(filter[i] ? 1 : 0) ^ flip;
                        out[i + shift] = (valueKey(x) & eligible) | (INELIGIBLE & ~eligible);
                    }
                }
                if (nan) {
                    throw nanError(name, values);
                }
            }
        };
    }

    /**
     * Magnitude keys of one array with an eligibility filter: the keys {@link #values} gives for the
     * array of {@code |x|} (0 where {@code nonZero} is false), computed from the signed values, so
     * no array of magnitudes is needed.
     *
     * @param name parameter name for the NaN error
     * @param values the signed values
     * @param nonZero null, or where false the magnitude counts as 0
     * @param filter null, or where {@code filter[i] != keeps} the position is ineligible
     * @param keeps see {@code filter}
     */
    static SelectionKeys magnitudesOf(String name, float[] values, boolean[] nonZero, boolean[] filter,
                                      boolean keeps) {
        return new SelectionKeys() {
            @Override
            int arrays() {
                return 1;
            }

            @Override
            int length(int a) {
                return values.length;
            }

            @Override
            void fill(int a, int from, int to, int[] out, int offset) {
                int max = 0;
                int shift = offset - from;
                // branch-free (masks are unpredictable): -1 where it holds, 0 where not
                int flip = keeps ? 0 : -1;
                for (int i = from; i < to; i++) {
                    int k = Float.floatToRawIntBits(values[i]) & 0x7fffffff;
                    max = Math.max(max, k);
                    int magnitude = nonZero == null ? k : k & -(nonZero[i] ? 1 : 0);
                    int eligible = filter == null ? -1 : -(filter[i] ? 1 : 0) ^ flip;
                    out[i + shift] = (magnitude & eligible) | (INELIGIBLE & ~eligible);
                }
                if (max > 0x7f800000) {
                    throw nanError(name, values);
                }
            }
        };
    }

    private static IllegalArgumentException nanError(String name, float[] v) {
        int index = 0;
        while (!Float.isNaN(v[index])) {
            index++;
        }
        return new IllegalArgumentException(name + " must not hold NaN, got NaN at flat index " + index);
    }
}
