package org.rpg4j.mask;

import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The int arrays one {@link RadixCut} selection works in (histograms of 2^16 or 2^17 bins, key
 * chunks of 2^16), lent from a small process-wide pool and given back when the selection ends.
 * A topology update runs about two selections per tensor, each of which allocated about 1.3 MB of
 * these: 100 MB per update of ResNet-50, enough to start a collection inside most updates. The
 * pool keeps at most {@link #KEPT} arrays of each size (6 MiB in all); an array is lent to one
 * selection at a time, so concurrent selections never share one. Selections over at most one chunk
 * of positions allocate instead, as before the pool: they allocate little, and in one loaded set of
 * ResNet-20 single-shot runs (tensors of 432 to 36,864 weights) pooling them looked slower.
 */
final class IntScratch {
    /** Arrays kept per size: a few concurrent selections' worth. */
    private static final int KEPT = 8;
    private static final int SMALL = 1 << 16;
    private static final int LARGE = 1 << 17;
    private static final ArrayBlockingQueue<int[]> SMALL_POOL = new ArrayBlockingQueue<>(KEPT);
    private static final ArrayBlockingQueue<int[]> LARGE_POOL = new ArrayBlockingQueue<>(KEPT);

    private final ConcurrentLinkedQueue<int[]> lent = new ConcurrentLinkedQueue<>();
    private final boolean pooled;

    /** @param pooled true to borrow from the pool, false to allocate every array (small selections) */
    IntScratch(boolean pooled) {
        this.pooled = pooled;
    }

    /**
     * @param length {@code 2^16} or {@code 2^17}
     * @param zeroed true if the caller needs every entry 0 (a histogram), false if it overwrites what it reads
     * @return an array of {@code length} lent to this scratch until {@link #release()}
     */
    int[] take(int length, boolean zeroed) {
        ArrayBlockingQueue<int[]> pool = pool(length);
        if (!pooled) {
            return new int[length];
        }
        int[] array = pool.poll();
        if (array == null) {
            array = new int[length];
        } else if (zeroed) {
            Arrays.fill(array, 0);
        }
        lent.add(array);
        return array;
    }

    /** Gives every array taken through this scratch back to the pool; none may be used afterwards. */
    void release() {
        for (int[] array = lent.poll(); array != null; array = lent.poll()) {
            pool(array.length).offer(array);
        }
    }

    private static ArrayBlockingQueue<int[]> pool(int length) {
        if (length == SMALL) {
            return SMALL_POOL;
        }
        if (length == LARGE) {
            return LARGE_POOL;
        }
        throw new IllegalArgumentException("length must be " + SMALL + " or " + LARGE + ", got " + length);
    }
}
