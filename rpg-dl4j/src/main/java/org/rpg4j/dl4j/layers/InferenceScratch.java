package org.rpg4j.dl4j.layers;

/**
 * The calling thread's Java arrays for the small inference passes (ReLU layer, batch norm, residual add): each
 * call copies its input into one, computes there and copies it out. Allocating those arrays per call (64 KiB for
 * ResNet-56's first stage at batch 1) cost more than the loops themselves (JFR of a folded ResNet-56 at batch 1,
 * docs/structured.md "Session 12"), so every thread keeps two slots, each grown to the largest length asked of it
 * (at most {@link BatchNormInference#SEQUENTIAL_ELEMENTS} floats: larger calls take the native ops).
 */
final class InferenceScratch {

    private static final ThreadLocal<float[][]> SLOTS = ThreadLocal.withInitial(() -> new float[][] {new float[0],
            new float[0]});

    private InferenceScratch() {
    }

    /**
     * @param slot 0 or 1 (a call that needs two arrays at once takes one of each)
     * @param length the elements needed, &ge; 0
     * @return the calling thread's array of that slot, at least {@code length} long; its contents are undefined
     *     and valid until the thread's next call for that slot
     */
    static float[] floats(int slot, int length) {
        float[][] slots = SLOTS.get();
        if (slots[slot].length < length) {
            slots[slot] = new float[length];
        }
        return slots[slot];
    }
}
