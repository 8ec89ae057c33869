package org.rpg4j.mask;

/** Counting the kept positions of masks. */
public final class MaskCounts {
    private MaskCounts() {
    }

    /**
     * @param mask a mask; not modified
     * @return the number of true entries
     * @throws IllegalArgumentException if {@code mask} is null
     */
    public static long count(boolean[] mask) {
        if (mask == null) {
            throw new IllegalArgumentException("mask must not be null");
        }
        long n = 0;
        for (boolean b : mask) {
            // branch-free: masks are unpredictable
            n += b ? 1 : 0;
        }
        return n;
    }
}
