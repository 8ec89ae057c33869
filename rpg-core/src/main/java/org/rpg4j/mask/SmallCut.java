package org.rpg4j.mask;

/**
 * {@link RadixCut}'s selection for at most {@link #MAX_TOTAL} positions in all ({@link
 * #MAX_SINGLE} from a single array), with the same
 * order (larger keys first, ties to the lower flat index, the arrays read as one concatenation),
 * the same result and the same errors, sized for small inputs: the keys of all participating
 * arrays are computed once into one array, the cut is found by a radix selection with 12-, 12- and
 * 8-bit digits (4,096 bins, each level on the gathered keys and positions of the previous
 * level's bin only), one pass marks the keys above the cut, and the first ties at it are taken
 * from the last gathered bin. {@link RadixCut}'s 65,536-bin histograms (768 KiB
 * to clear and scan per selection) cost far more than the data for a tensor of a few thousand
 * weights, and a topology update runs two such selections per tensor. Runs on the calling thread:
 * below {@link #MAX_TOTAL} {@link RadixCut} does not split into parallel groups either.
 */
final class SmallCut {
    /** Most positions (all participating arrays together) this selection takes from several arrays. */
    static final long MAX_TOTAL = 1 << 20;
    /**
     * Most positions this selection takes from a single array. Above it {@link RadixCut}, which
     * keeps a single array's keys between its passes and makes one pass fewer, is faster: its
     * histograms then cost less than that pass.
     */
    static final long MAX_SINGLE = 1 << 17;
    /** The digits, most significant first: shift and width of each. */
    private static final int[] SHIFTS = {20, 8, 0};
    private static final int[] WIDTHS = {12, 12, 8};

    private SmallCut() {
    }

    /**
     * @return true if the participating arrays of {@code keys} hold at most {@link #MAX_SINGLE}
     *     positions (one array) or {@link #MAX_TOTAL} (several)
     */
    static boolean fits(SelectionKeys keys) {
        long total = 0;
        int participating = 0;
        for (int a = 0; a < keys.arrays(); a++) {
            total += Math.max(0, keys.length(a));
            participating += keys.length(a) >= 0 ? 1 : 0;
        }
        return total <= (participating == 1 ? MAX_SINGLE : MAX_TOTAL);
    }

    /**
     * As {@link RadixCut#select}, for keys that {@link #fits}.
     *
     * @param keys the key provider
     * @param count number to select, {@code >= 0}
     * @param countName parameter name for the range error
     * @param out one array per input array, same lengths; each participating array is overwritten
     * @param perArray if not null, receives the selected count per participating array
     * @return the smallest selected key (the cut), or {@link SelectionKeys#INELIGIBLE} if nothing is selected
     * @throws IllegalArgumentException if {@code count} exceeds the eligible positions or a value is NaN
     */
    static int select(SelectionKeys keys, long count, String countName, boolean[][] out, long[] perArray) {
        int[] all = allKeys(keys);
        int[] histogram = new int[1 << WIDTHS[0]];
        histogram(all, all.length, SHIFTS[0], WIDTHS[0], histogram);
        // bin 0 of the first digit holds only ineligible keys (see SelectionKeys)
        long eligible = all.length - histogram[0];
        if (count < 0 || count > eligible) {
            throw new IllegalArgumentException(countName + " must be in [0, " + eligible
                    + "] (the positions that can be selected), got " + count);
        }
        if (count == 0) {
            markAbove(keys, all, Integer.MAX_VALUE, out, perArray);
            return SelectionKeys.INELIGIBLE;
        }
        // the cut is the count-th largest key; 'rank' is its rank from the top among the candidates
        long rank = count;
        int prefix = 0;
        Candidates candidates = null;
        for (int level = 0; level < SHIFTS.length; level++) {
            int shift = SHIFTS[level];
            int width = WIDTHS[level];
            if (level > 0) {
                java.util.Arrays.fill(histogram, 0, 1 << width, 0);
                histogram(candidates.keys, candidates.size, shift, width, histogram);
            }
            int bin = (1 << width) - 1;
            while (histogram[bin] < rank) {
                rank -= histogram[bin--];
            }
            prefix |= bin << shift;
            candidates = candidates == null ? Candidates.gather(all, shift, width, bin, histogram[bin])
                    : candidates.narrow(shift, width, bin, histogram[bin]);
        }
        int cut = prefix ^ Integer.MIN_VALUE;
        // every key above the cut is selected, and the first 'rank' keys equal to it (the candidates left)
        markAbove(keys, all, cut, out, perArray);
        takeTies(keys, candidates, (int) rank, out, perArray);
        return cut;
    }

    /** @return the keys of the participating arrays, concatenated in array order */
    private static int[] allKeys(SelectionKeys keys) {
        long total = 0;
        for (int a = 0; a < keys.arrays(); a++) {
            total += Math.max(0, keys.length(a));
        }
        int[] all = new int[Math.toIntExact(total)];
        int offset = 0;
        for (int a = 0; a < keys.arrays(); a++) {
            int n = keys.length(a);
            if (n > 0) {
                keys.fill(a, 0, n, all, offset);
                offset += n;
            }
        }
        return all;
    }

    /** Adds to {@code histogram} the digit at {@code shift} of the first {@code size} keys, in unsigned order. */
    private static void histogram(int[] keys, int size, int shift, int width, int[] histogram) {
        int mask = (1 << width) - 1;
        for (int i = 0; i < size; i++) {
            // flipping the sign bit turns signed key order into unsigned order
            histogram[((keys[i] ^ Integer.MIN_VALUE) >>> shift) & mask]++;
        }
    }

    /**
     * Writes {@code key > cut} to every participating array of {@code out}, and the number of such
     * keys per array to {@code perArray} (if not null).
     */
    private static void markAbove(SelectionKeys keys, int[] all, int cut, boolean[][] out, long[] perArray) {
        int offset = 0;
        for (int a = 0; a < keys.arrays(); a++) {
            int n = keys.length(a);
            if (n < 0) {
                continue;
            }
            boolean[] o = out[a];
            long selected = 0;
            for (int p = 0; p < n; p++) {
                boolean above = all[offset + p] > cut;
                o[p] = above;
                selected += above ? 1 : 0;
            }
            offset += n;
            if (perArray != null) {
                perArray[a] = selected;
            }
        }
    }

    /** Selects the first {@code ties} candidates (all equal to the cut, in index order). */
    private static void takeTies(SelectionKeys keys, Candidates candidates, int ties, boolean[][] out,
                                 long[] perArray) {
        int a = -1;
        int start = 0;
        int end = 0;
        for (int c = 0; c < ties; c++) {
            int position = candidates.positions[c];
            // positions increase: advance to the participating array that holds this one
            while (position >= end) {
                a++;
                start = end;
                end += Math.max(0, keys.length(a));
            }
            out[a][position - start] = true;
            if (perArray != null) {
                perArray[a]++;
            }
        }
    }

    /** Keys of one radix bin and their positions in the concatenation, in index order. */
    private static final class Candidates {
        final int[] keys;
        final int[] positions;
        final int size;

        private Candidates(int[] keys, int[] positions, int size) {
            this.keys = keys;
            this.positions = positions;
            this.size = size;
        }

        /** @return the {@code binSize} keys of {@code all} whose digit at {@code shift} is {@code bin} */
        static Candidates gather(int[] all, int shift, int width, int bin, int binSize) {
            int mask = (1 << width) - 1;
            // one spare slot: every key is written, and the count advances only for the bin's
            int[] keys = new int[binSize + 1];
            int[] positions = new int[binSize + 1];
            int found = 0;
            for (int i = 0; i < all.length; i++) {
                int k = all[i];
                keys[found] = k;
                positions[found] = i;
                found += (((k ^ Integer.MIN_VALUE) >>> shift) & mask) == bin ? 1 : 0;
            }
            return new Candidates(keys, positions, found);
        }

        /** @return the {@code binSize} candidates whose digit at {@code shift} is {@code bin} */
        Candidates narrow(int shift, int width, int bin, int binSize) {
            if (binSize == size) {
                return this;
            }
            int mask = (1 << width) - 1;
            int[] k2 = new int[binSize + 1];
            int[] p2 = new int[binSize + 1];
            int found = 0;
            for (int i = 0; i < size; i++) {
                int k = keys[i];
                k2[found] = k;
                p2[found] = positions[i];
                found += (((k ^ Integer.MIN_VALUE) >>> shift) & mask) == bin ? 1 : 0;
            }
            return new Candidates(k2, p2, found);
        }
    }
}
