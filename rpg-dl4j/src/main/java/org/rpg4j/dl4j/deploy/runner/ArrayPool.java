package org.rpg4j.dl4j.deploy.runner;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Float arrays that a runner's steps write their outputs into, handed back once the last step reading
 * a value has run, so that a call reuses the previous call's arrays instead of allocating (and the JVM
 * zeroing) tens of megabytes per call: ResNet-56 at batch 32 writes 55 convolution outputs of 0.5-2.4 MB.
 * An array taken from the pool holds old values: only steps that overwrite every entry take one. Not
 * thread-safe: used by the thread that calls the runner, never inside a kernel's parallel tasks.
 */
final class ArrayPool {

    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();

    /**
     * @param length the length wanted
     * @return a pooled array of that length (old contents) or a new one
     */
    float[] take(int length) {
        ArrayDeque<float[]> arrays = free.get(length);
        float[] array = arrays == null ? null : arrays.poll();
        return array != null ? array : new float[length];
    }

    /** @param array an array no value uses any more, or null (ignored) */
    void give(float[] array) {
        if (array != null) {
            free.computeIfAbsent(array.length, length -> new ArrayDeque<>()).push(array);
        }
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
