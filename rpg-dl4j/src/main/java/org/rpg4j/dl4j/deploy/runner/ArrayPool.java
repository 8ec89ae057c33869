package org.rpg4j.dl4j.deploy.runner;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

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
     * The lengths with a queue of free arrays, in the order first handed back; a linear search of a few lengths
     * (a network's calls use a few to a few tens) instead of a map with a boxed key (the map's lookups were about
     * 1 % of a 70 %-shrunk ResNet-56 call at batch 1, JFR).
     */
    private int[] lengths = new int[8];
    /** The free arrays of {@code lengths[i]} at {@code free.get(i)}. */
    private final List<ArrayDeque<float[]>> free = new ArrayList<>();
    private final Set<float[]> lent = Collections.newSetFromMap(new IdentityHashMap<>());

    /**
     * @param length the length wanted
     * @return a pooled array of that length (old contents) or a new one
     */
    float[] take(int length) {
        int at = indexOf(length);
        float[] array = at < 0 ? null : free.get(at).poll();
        if (array == null) {
            array = new float[length];
        }
        lent.add(array);
        return array;
    }

    /**
     * @param array an array no value uses any more, or null; kept for reuse only if the pool lent it and
     *     it has not come back yet, otherwise ignored
     */
    void give(float[] array) {
        if (array != null && lent.remove(array)) {
            int at = indexOf(array.length);
            if (at < 0) {
                at = free.size();
                if (at == lengths.length) {
                    lengths = Arrays.copyOf(lengths, 2 * at);
                }
                lengths[at] = array.length;
                free.add(new ArrayDeque<>());
            }
            free.get(at).push(array);
        }
    }

    /** @return the index of {@code length} in {@link #lengths}, or -1 */
    private int indexOf(int length) {
        for (int i = 0; i < free.size(); i++) {
            if (lengths[i] == length) {
                return i;
            }
        }
        return -1;
    }

    /** @return the number of arrays waiting to be taken again */
    int retained() {
        int count = 0;
        for (ArrayDeque<float[]> arrays : free) {
            count += arrays.size();
        }
        return count;
    }

    /** @return the number of arrays lent and not handed back */
    int outstanding() {
        return lent.size();
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
