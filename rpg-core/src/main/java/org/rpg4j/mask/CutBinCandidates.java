package org.rpg4j.mask;

/**
 * The positions whose key falls in the histogram bin that holds the cut of a {@link RadixCut}
 * (same 16 high bits), gathered in index order during the pass that marks every other position,
 * and the selection among them: the keys above the cut, then the ties at the cut lowest index first.
 * This replaces the low-bits histogram pass and the marking pass over all positions by one pass
 * over the bin's few positions.
 */
final class CutBinCandidates {
    private static final int BINS = 1 << 16;

    private final int[] arrays;
    private final int[] positions;
    private final char[] lowBits;
    private int size;

    /** @param capacity the exact number of positions in the bin within this group (from the high-bits histogram) */
    CutBinCandidates(int capacity) {
        arrays = new int[capacity];
        positions = new int[capacity];
        lowBits = new char[capacity];
    }

    /** Adds position {@code p} of array {@code a} with key {@code key}; calls come in index order. */
    void add(int a, int p, int key) {
        arrays[size] = a;
        positions[size] = p;
        lowBits[size] = (char) key;
        size++;
    }

    /**
     * Selects {@code count - above} of the candidates of all groups: the largest low bits, ties to
     * the lower index (groups are in index order).
     *
     * @param groups the candidates of every group, in group order
     * @param highBits the 16 high key bits of the bin, in place
     * @param count the total to select
     * @param above how many keys lie above the bin (already marked)
     * @param out the selection; candidates chosen here are set to true
     * @param selected per array, incremented by the candidates chosen here
     * @param histogram 2^16 zeros to count the candidates' low bits in; overwritten
     * @return the cut: the key of the smallest selected candidate
     */
    static int select(CutBinCandidates[] groups, int highBits, long count, long above, boolean[][] out,
                      long[] selected, int[] histogram) {
        for (CutBinCandidates g : groups) {
            for (int i = 0; i < g.size; i++) {
                histogram[g.lowBits[i]]++;
            }
        }
        int low = BINS - 1;
        long larger = above;
        while (larger + histogram[low] < count) {
            larger += histogram[low--];
        }
        long ties = count - larger;
        for (CutBinCandidates g : groups) {
            for (int i = 0; i < g.size; i++) {
                int bits = g.lowBits[i];
                boolean take = bits > low || (bits == low && ties > 0);
                if (take) {
                    out[g.arrays[i]][g.positions[i]] = true;
                    selected[g.arrays[i]]++;
                    ties -= bits == low ? 1 : 0;
                }
            }
        }
        return highBits | low;
    }
}
