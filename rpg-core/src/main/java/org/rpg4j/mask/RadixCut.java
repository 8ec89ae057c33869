package org.rpg4j.mask;

/**
 * Exact top-{@code count} selection over one or more float arrays in O(n): a two-level radix
 * selection on order-preserving integer keys of the values (16 high bits, then 16 low bits),
 * followed by one marking pass. No sorting, no boxing.
 *
 * <p>Order: larger values first; among equal values the lower flat index first, where the arrays
 * are read as one concatenation in array order. {@code -0.0} and {@code 0.0} are equal. In
 * magnitude mode the key of {@code x} is the key of {@code |x|}, and positions outside the
 * optional {@code active} masks count as magnitude 0.
 *
 * <p>An instance holds a 512 KiB histogram and is reused for every pass of one selection; it is
 * not thread-safe.
 */
final class RadixCut {
    private static final int BINS = 1 << 16;

    private final String name;
    private final float[][] values;
    private final boolean magnitude;
    private final boolean[][] active;
    private final boolean[][] filter;
    private final boolean filterKeeps;
    private final boolean[] included;
    private final long[] histogram = new long[BINS];

    /**
     * @param name parameter name used in error messages
     * @param values the arrays, read as one concatenation; not modified
     * @param magnitude true to rank {@code |x|}, false to rank {@code x}
     * @param active nullable; in magnitude mode, positions where it is false rank as magnitude 0
     * @param filter nullable; a position is eligible iff {@code filter[t][i] == filterKeeps}
     * @param filterKeeps see {@code filter}
     * @param included nullable; arrays whose entry is false take no part at all
     */
    RadixCut(String name, float[][] values, boolean magnitude, boolean[][] active, boolean[][] filter,
             boolean filterKeeps, boolean[] included) {
        this.name = name;
        this.values = values;
        this.magnitude = magnitude;
        this.active = active;
        this.filter = filter;
        this.filterKeeps = filterKeeps;
        this.included = included;
    }

    /** @return the float whose key is {@code key} (inverse of the value-mode key) */
    static float valueOfKey(int key) {
        int bits = key >= 0 ? key : key ^ 0x7fffffff;
        return Float.intBitsToFloat(bits);
    }

    /**
     * Selects the {@code count} largest eligible positions.
     *
     * @param count number to select, in [0, eligible count] (checked by the caller)
     * @param eligibleCount the number of eligible positions, from {@link #eligibleCount()}
     * @param out one array per input array, same lengths; every included array is overwritten
     *     (true = selected); arrays of excluded tensors are left alone
     * @param perArray if not null, receives the selected count per array
     * @return the key of the smallest selected value (the cut), or {@link Integer#MIN_VALUE} if
     *     {@code count == 0}
     * @throws IllegalArgumentException if an eligible value is NaN
     */
    int select(long count, long eligibleCount, boolean[][] out, long[] perArray) {
        checkNoNaN();
        if (count == 0) {
            mark(Integer.MAX_VALUE, 0, out, perArray);
            return Integer.MIN_VALUE;
        }
        if (count == eligibleCount) {
            // Every eligible key is >= MIN_VALUE and there are exactly eligibleCount of them.
            mark(Integer.MIN_VALUE, eligibleCount, out, perArray);
            return minimumKey();
        }
        // Level 1: bucket of the count-th largest key by its 16 high bits.
        java.util.Arrays.fill(histogram, 0L);
        histogramHigh();
        int high = BINS - 1;
        long above = 0;
        while (above + histogram[high] < count) {
            above += histogram[high--];
        }
        // Level 2: inside that bucket, the exact key by its 16 low bits.
        java.util.Arrays.fill(histogram, 0L);
        int highBits = (high ^ 0x8000) << 16;
        histogramLow(highBits);
        int low = BINS - 1;
        while (above + histogram[low] < count) {
            above += histogram[low--];
        }
        int cut = highBits | low;
        // 'above' keys are strictly greater than the cut; the rest are taken from the ties.
        mark(cut, count - above, out, perArray);
        return cut;
    }

    /** @return number of eligible positions over the included arrays */
    long eligibleCount() {
        long n = 0;
        for (int t = 0; t < values.length; t++) {
            if (included != null && !included[t]) {
                continue;
            }
            boolean[] f = filter == null ? null : filter[t];
            if (f == null) {
                n += values[t].length;
            } else {
                for (boolean b : f) {
                    if (b == filterKeeps) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private int key(float[] v, boolean[] act, int i) {
        if (magnitude) {
            return act != null && !act[i] ? 0 : Float.floatToRawIntBits(v[i]) & 0x7fffffff;
        }
        // x + 0.0f turns -0.0 into 0.0; negative floats get their magnitude bits flipped so that
        // signed int order equals float order.
        int bits = Float.floatToRawIntBits(v[i] + 0.0f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    private boolean eligible(boolean[] f, int i) {
        return f == null || f[i] == filterKeeps;
    }

    private void checkNoNaN() {
        for (int t = 0; t < values.length; t++) {
            if (included != null && !included[t]) {
                continue;
            }
            float[] v = values[t];
            boolean[] f = filter == null ? null : filter[t];
            for (int i = 0; i < v.length; i++) {
                if (Float.isNaN(v[i]) && eligible(f, i)) {
                    String where = values.length == 1 ? name : name + "[" + t + "]";
                    throw new IllegalArgumentException(where + " must not hold NaN, got NaN at flat index " + i);
                }
            }
        }
    }

    private void histogramHigh() {
        for (int t = 0; t < values.length; t++) {
            if (included != null && !included[t]) {
                continue;
            }
            float[] v = values[t];
            boolean[] act = active == null ? null : active[t];
            boolean[] f = filter == null ? null : filter[t];
            for (int i = 0; i < v.length; i++) {
                if (eligible(f, i)) {
                    histogram[(key(v, act, i) >>> 16) ^ 0x8000]++;
                }
            }
        }
    }

    private void histogramLow(int highBits) {
        for (int t = 0; t < values.length; t++) {
            if (included != null && !included[t]) {
                continue;
            }
            float[] v = values[t];
            boolean[] act = active == null ? null : active[t];
            boolean[] f = filter == null ? null : filter[t];
            for (int i = 0; i < v.length; i++) {
                if (eligible(f, i)) {
                    int k = key(v, act, i);
                    if ((k & 0xffff0000) == highBits) {
                        histogram[k & 0xffff]++;
                    }
                }
            }
        }
    }

    /** Selects keys above {@code cut}, plus the first {@code ties} keys equal to it (lowest index first). */
    private void mark(int cut, long ties, boolean[][] out, long[] perArray) {
        for (int t = 0; t < values.length; t++) {
            if (included != null && !included[t]) {
                continue;
            }
            float[] v = values[t];
            boolean[] act = active == null ? null : active[t];
            boolean[] f = filter == null ? null : filter[t];
            boolean[] o = out[t];
            long selected = 0;
            for (int i = 0; i < v.length; i++) {
                boolean s = false;
                if (eligible(f, i)) {
                    int k = key(v, act, i);
                    if (k > cut) {
                        s = true;
                    } else if (k == cut && ties > 0) {
                        s = true;
                        ties--;
                    }
                }
                o[i] = s;
                if (s) {
                    selected++;
                }
            }
            if (perArray != null) {
                perArray[t] = selected;
            }
        }
    }

    private int minimumKey() {
        int min = Integer.MAX_VALUE;
        for (int t = 0; t < values.length; t++) {
            if (included != null && !included[t]) {
                continue;
            }
            float[] v = values[t];
            boolean[] act = active == null ? null : active[t];
            boolean[] f = filter == null ? null : filter[t];
            for (int i = 0; i < v.length; i++) {
                if (eligible(f, i)) {
                    min = Math.min(min, key(v, act, i));
                }
            }
        }
        return min;
    }
}
