package org.rpg4j.dl4j.deploy.runner;

import java.util.Arrays;

/**
 * Float arrays that a runner's steps write their outputs into, handed back once the last step reading
 * a value has run, so that a call reuses the previous call's arrays instead of allocating (and the JVM
 * zeroing) tens of megabytes per call: ResNet-56 at batch 32 writes 55 convolution outputs of 0.5-2.4 MB.
 * An array taken from the pool holds old values: only steps that overwrite every entry take one. The
 * pool keeps only arrays it lent and that came back once: arrays made elsewhere (copies out of ND4J,
 * unpadded or padded copies) are left to the garbage collector, so what it holds is bounded by the
 * most arrays one call has out at once (before, such arrays were kept too and, never taken again, grew
 * the heap by a few megabytes per call until it ran out), and an array handed back twice cannot be
 * lent to two steps. Not thread-safe: used by the thread that calls the runner, never inside a kernel's
 * parallel tasks.
 */
final class ArrayPool {

    /**
     * The lengths with a stack of free arrays, in the order first handed back; a linear search of a few lengths
     * (a network's calls use a few to a few tens) instead of a map with a boxed key (the map's lookups were about
     * 1 % of a 70 %-shrunk ResNet-56 call at batch 1, JFR).
     */
    private int[] lengths = new int[8];
    /** The free arrays of {@code lengths[i]}: {@code free[i][0, freeCount[i])}. */
    private float[][][] free = new float[8][][];
    private int[] freeCount = new int[8];
    private int lengthCount;
    /**
     * The arrays lent and not handed back, {@code lent[0, lentCount)} in no order: a linear search by identity over
     * the few a call has out at once (an identity hash set's and the free queues' calls were about 1 % of the same
     * call, JFR, session 14).
     */
    private float[][] lent = new float[8][];
    private int lentCount;

    /**
     * @param length the length wanted
     * @return a pooled array of that length (old contents) or a new one
     */
    float[] take(int length) {
        int at = indexOf(length);
        float[] array;
        if (at >= 0 && freeCount[at] > 0) {
            array = free[at][--freeCount[at]];
            free[at][freeCount[at]] = null;
        } else {
            array = new float[length];
        }
        if (lentCount == lent.length) {
            lent = Arrays.copyOf(lent, 2 * lentCount);
        }
        lent[lentCount++] = array;
        return array;
    }

    /**
     * @param array an array no value uses any more, or null; kept for reuse only if the pool lent it and
     *     it has not come back yet, otherwise ignored
     */
    void give(float[] array) {
        if (array == null || !removeLent(array)) {
            return;
        }
        int at = indexOf(array.length);
        if (at < 0) {
            at = lengthCount++;
            if (at == lengths.length) {
                lengths = Arrays.copyOf(lengths, 2 * at);
                free = Arrays.copyOf(free, 2 * at);
                freeCount = Arrays.copyOf(freeCount, 2 * at);
            }
            lengths[at] = array.length;
            free[at] = new float[4][];
        }
        if (freeCount[at] == free[at].length) {
            free[at] = Arrays.copyOf(free[at], 2 * freeCount[at]);
        }
        free[at][freeCount[at]++] = array;
    }

    /** @return true if {@code array} was lent and not handed back yet; it is no longer counted as lent */
    private boolean removeLent(float[] array) {
        // the most recently lent first: a value's array usually comes back soon after it was taken
        for (int i = lentCount - 1; i >= 0; i--) {
            if (lent[i] == array) {
                lent[i] = lent[--lentCount];
                lent[lentCount] = null;
                return true;
            }
        }
        return false;
    }

    /** @return the index of {@code length} in {@link #lengths}, or -1 */
    private int indexOf(int length) {
        for (int i = 0; i < lengthCount; i++) {
            if (lengths[i] == length) {
                return i;
            }
        }
        return -1;
    }

    /** @return the number of arrays waiting to be taken again */
    int retained() {
        int count = 0;
        for (int i = 0; i < lengthCount; i++) {
            count += freeCount[i];
        }
        return count;
    }

    /** @return the number of arrays lent and not handed back */
    int outstanding() {
        return lentCount;
    }

    /**
     * @param pool a pool, or null (steps built outside a runner, e.g. in tests)
     * @param length the length wanted
     * @return {@code pool.take(length)}, or a new array without a pool
     */
    static float[] take(ArrayPool pool, int length) {
        return pool == null ? new float[length] : pool.take(length);
    }
}
