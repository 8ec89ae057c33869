package org.rpg4j.prune;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.mask.MaskCounts;
import org.rpg4j.mask.ParallelIndices;
import org.rpg4j.tensor.MaskArrays;

/** The current masks of all prunable tensors, as primitives and as cached ND4J arrays. */
final class MaskSet {
    private final List<PrunableTensor> tensors;
    private final boolean[][] masks;
    private final INDArray[] arrays;
    private final long[] keptCounts;
    private long version;

    MaskSet(List<PrunableTensor> tensors, boolean[][] masks) {
        this.tensors = tensors;
        this.masks = new boolean[tensors.size()][];
        this.arrays = new INDArray[tensors.size()];
        this.keptCounts = new long[tensors.size()];
        replace(masks);
    }

    static MaskSet allKept(List<PrunableTensor> tensors) {
        boolean[][] masks = new boolean[tensors.size()][];
        for (int i = 0; i < masks.length; i++) {
            masks[i] = new boolean[Math.toIntExact(tensors.get(i).length())];
            java.util.Arrays.fill(masks[i], true);
        }
        return new MaskSet(tensors, masks);
    }

    /** Replaces every mask (arrays are copied) and rebuilds the ND4J masks. */
    void replace(boolean[][] newMasks) {
        replace(newMasks, true, null);
    }

    /**
     * Replaces every mask with arrays nobody else holds (a topology update's fresh result), without
     * copying or counting them, and rebuilds the ND4J masks.
     *
     * @param freshMasks the new masks, taken over
     * @param counts each new mask's true entries (the update counted them)
     */
    void replaceWithOwned(boolean[][] freshMasks, long[] counts) {
        replace(freshMasks, false, counts);
    }

    private void replace(boolean[][] newMasks, boolean copy, long[] counts) {
        if (newMasks.length != tensors.size()) {
            throw new IllegalArgumentException("masks must hold one mask per tensor (" + tensors.size() + "), got "
                    + newMasks.length);
        }
        for (int i = 0; i < newMasks.length; i++) {
            PrunableTensor t = tensors.get(i);
            if (newMasks[i] == null || newMasks[i].length != t.length()) {
                throw new IllegalArgumentException("mask of '" + t.name() + "' must have length " + t.length()
                        + ", got " + (newMasks[i] == null ? "null" : newMasks[i].length));
            }
        }
        // per tensor in parallel: each writes only its own slots
        ParallelIndices.forEach(newMasks.length, i -> {
            masks[i] = copy ? newMasks[i].clone() : newMasks[i];
            arrays[i] = MaskArrays.toMaskArray(masks[i], tensors.get(i).shape(), tensors.get(i).dataType());
            keptCounts[i] = counts != null ? counts[i] : MaskCounts.count(masks[i]);
        });
        version++;
    }

    boolean[] mask(int index) {
        return masks[index].clone();
    }

    /**
     * @return the current masks themselves, not copies: for a topology update, which reads them and
     *     must not modify them (they are replaced, not changed, afterwards)
     */
    boolean[][] current() {
        return masks.clone();
    }

    boolean[][] all() {
        boolean[][] copy = new boolean[masks.length][];
        for (int i = 0; i < masks.length; i++) {
            copy[i] = masks[i].clone();
        }
        return copy;
    }

    INDArray array(int index) {
        return arrays[index];
    }

    long version() {
        return version;
    }

    long keptCount(int index) {
        return keptCounts[index];
    }

    double sparsity() {
        long total = 0;
        long kept = 0;
        for (int i = 0; i < masks.length; i++) {
            total += masks[i].length;
            kept += keptCount(i);
        }
        return 1.0 - (double) kept / total;
    }
}
