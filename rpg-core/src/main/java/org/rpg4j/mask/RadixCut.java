package org.rpg4j.mask;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;

/**
 * Exact top-{@code count} selection over one or more float arrays in O(n): order-preserving int
 * keys ({@link SelectionKeys}), a two-level radix selection (16 high bits, then 16 low bits) that
 * finds the key of the count-th largest value, a marking pass that also counts the keys equal to
 * the cut per chunk, and a short pass over the chunks holding such ties that takes the needed ones
 * in index order. No sorting, no boxing; the inner loops are branch-light.
 *
 * <p>Order: larger keys first; among equal keys the lower flat index first, the arrays read as one
 * concatenation in order. Several arrays are split into contiguous groups of similar size that run
 * in parallel (common fork-join pool), each with its own histogram; the result does not depend on
 * it. A single array of at most one chunk keeps its keys between passes; longer or several arrays
 * are re-keyed chunk by chunk (no full-size key array). Above one chunk of positions, histograms
 * and chunks are lent by {@link IntScratch} and given back when the selection ends.
 */
final class RadixCut {
    private static final int BINS = 1 << 16;
    private static final int CHUNK = 1 << 16;
    /** Below this many positions per group, splitting into groups does not pay. */
    private static final long MIN_GROUP = 1 << 20;
    /** Up to this fraction (1 / 2^n) of all positions in the cut's bin, they are gathered ({@link CutBinCandidates}). */
    private static final int GATHER_SHIFT = 4;

    private final SelectionKeys keys;
    private final boolean reuse;
    private final int[] fullKeys;
    private final List<int[]> groups;
    private final long total;
    private final IntScratch scratch;

    private RadixCut(SelectionKeys keys) {
        this.keys = keys;
        int participating = 0;
        int length = 0;
        long total = 0;
        for (int a = 0; a < keys.arrays(); a++) {
            if (keys.length(a) >= 0) {
                participating++;
                length = keys.length(a);
                total += length;
            }
        }
        // a single array up to one chunk keeps its keys; longer ones are re-keyed chunk by chunk like
        // several arrays, so a selection allocates no full-size key array (a topology update runs
        // two per tensor: 200 MB of int keys for 25.5 M weights, which kept the collector busy)
        this.reuse = participating == 1 && length <= CHUNK;
        this.total = total;
        this.scratch = new IntScratch(total > CHUNK);
        this.fullKeys = reuse ? new int[length] : null;
        int parts = (int) Math.max(1, Math.min(ForkJoinPool.getCommonPoolParallelism() + 1L, total / MIN_GROUP));
        this.groups = reuse ? List.of(new int[] {0, keys.arrays()}) : split(keys, parts, total);
    }

    /**
     * Selects the {@code count} largest eligible positions.
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
        RadixCut scan = new RadixCut(keys);
        try {
            return scan.select(count, countName, out, perArray);
        } finally {
            scan.scratch.release();
        }
    }

    private int select(long count, String countName, boolean[][] out, long[] perArray) {
        java.util.List<int[]> groupHistograms = histogramHigh();
        int[] histogram = scratch.take(BINS, true);
        groupHistograms.forEach(h -> sum(histogram, h));
        long eligible = 0;
        for (int b = 1; b < BINS; b++) {
            eligible += histogram[b];
        }
        if (count < 0 || count > eligible) {
            throw new IllegalArgumentException(countName + " must be in [0, " + eligible
                    + "] (the positions that can be selected), got " + count);
        }
        long[] selected = perArray != null ? perArray : new long[keys.arrays()];
        if (count == 0 || count == eligible) {
            // count == 0: nothing is above MAX_VALUE; count == eligible: every eligible key is above INELIGIBLE
            int cut = count == 0 ? Integer.MAX_VALUE : SelectionKeys.INELIGIBLE;
            mark(cut, out, selected, new int[keys.arrays()][]);
            return count == 0 ? SelectionKeys.INELIGIBLE : minimumSelected(out);
        }
        int high = BINS - 1;
        long above = 0;
        while (above + histogram[high] < count) {
            above += histogram[high--];
        }
        int highBits = (high ^ 0x8000) << 16;
        if (histogram[high] <= Math.max(CHUNK, total >>> GATHER_SHIFT)) {
            // one pass marks every key outside the cut's bin and gathers the bin's keys
            CutBinCandidates[] candidates = markOutsideBin(highBits, high, groupHistograms, out, selected);
            return CutBinCandidates.select(candidates, highBits, count, above, out, selected,
                    scratch.take(BINS, true));
        }
        int[] lowHistogram = histogramLow(highBits);
        int low = BINS - 1;
        while (above + lowHistogram[low] < count) {
            above += lowHistogram[low--];
        }
        int cut = highBits | low;
        // 'above' keys are strictly greater than the cut; the rest come from its ties, lowest index first
        int[][] tiesPerChunk = new int[keys.arrays()][];
        mark(cut, out, selected, tiesPerChunk);
        takeTies(cut, count - above, tiesPerChunk, out, selected);
        return cut;
    }

    /** Contiguous groups of arrays with about {@code total / parts} positions each, as {from, to}. */
    private static List<int[]> split(SelectionKeys keys, int parts, long total) {
        List<int[]> result = new ArrayList<>();
        long target = (total + parts - 1) / parts;
        int from = 0;
        long size = 0;
        for (int a = 0; a < keys.arrays(); a++) {
            size += Math.max(0, keys.length(a));
            if (size >= target || a == keys.arrays() - 1) {
                result.add(new int[] {from, a + 1});
                from = a + 1;
                size = 0;
            }
        }
        return result;
    }

    private int[] keysOf(int a, int from, int to, int[] chunk, boolean firstPass) {
        if (reuse) {
            if (firstPass) {
                keys.fill(a, from, to, fullKeys, from);
            }
            return fullKeys;
        }
        keys.fill(a, from, to, chunk, 0);
        return chunk;
    }

    /** Pass 1: per group, histogram of the 16 high key bits; bin 0 holds only ineligible keys. */
    private List<int[]> histogramHigh() {
        return inGroups(g -> {
            // two interleaved halves break the dependency chain of repeated increments of one bin
            int[] h = scratch.take(2 * BINS, true);
            int[] chunk = reuse ? null : scratch.take(CHUNK, false);
            for (int a = g[0]; a < g[1]; a++) {
                int n = keys.length(a);
                for (int from = 0; from < n; from += CHUNK) {
                    int to = Math.min(n, from + CHUNK);
                    int[] s = keysOf(a, from, to, chunk, true);
                    int i = reuse ? from : 0;
                    int end = i + to - from;
                    for (; i + 1 < end; i += 2) {
                        h[(s[i] >>> 16) ^ 0x8000]++;
                        h[BINS + ((s[i + 1] >>> 16) ^ 0x8000)]++;
                    }
                    if (i < end) {
                        h[(s[i] >>> 16) ^ 0x8000]++;
                    }
                }
                // flush bin 0 (ineligible) per array so that int counts cannot overflow
                h[0] = 0;
                h[BINS] = 0;
            }
            for (int b = 0; b < BINS; b++) {
                h[b] += h[BINS + b];
            }
            return h;
        });
    }

    /**
     * Pass 2 when the cut's bin is small: {@code out = key above the bin}, counted per array, and
     * the keys in the bin gathered per group in index order.
     */
    private CutBinCandidates[] markOutsideBin(int highBits, int bin, List<int[]> groupHistograms, boolean[][] out,
                                              long[] selected) {
        int binTop = highBits | 0xffff;
        List<CutBinCandidates> gathered = inGroups(g -> {
            CutBinCandidates candidates = new CutBinCandidates(groupHistograms.get(groups.indexOf(g))[bin]);
            int[] chunk = reuse ? null : scratch.take(CHUNK, false);
            for (int a = g[0]; a < g[1]; a++) {
                int n = keys.length(a);
                boolean[] o = n < 0 ? null : out[a];
                long above = 0;
                for (int from = 0; from < n; from += CHUNK) {
                    int to = Math.min(n, from + CHUNK);
                    int[] s = keysOf(a, from, to, chunk, false);
                    int shift = reuse ? 0 : -from;
                    for (int p = from; p < to; p++) {
                        int k = s[p + shift];
                        o[p] = k > binTop;
                        // branch-free count: the sign of binTop - k in 64 bits
                        above += ((long) binTop - k) >>> 63;
                        if ((k & 0xffff0000) == highBits) {
                            candidates.add(a, p, k);
                        }
                    }
                }
                if (n >= 0) {
                    selected[a] = above;
                }
            }
            return candidates;
        });
        return gathered.toArray(new CutBinCandidates[0]);
    }

    /** Pass 2: histogram of the 16 low bits of the keys whose high bits are {@code highBits}. */
    private int[] histogramLow(int highBits) {
        return inGroups(g -> {
            int[] h = scratch.take(BINS, true);
            int[] chunk = reuse ? null : scratch.take(CHUNK, false);
            for (int a = g[0]; a < g[1]; a++) {
                int n = keys.length(a);
                for (int from = 0; from < n; from += CHUNK) {
                    int to = Math.min(n, from + CHUNK);
                    int[] s = keysOf(a, from, to, chunk, false);
                    int shift = reuse ? 0 : -from;
                    for (int p = from; p < to; p++) {
                        int k = s[p + shift];
                        if ((k & 0xffff0000) == highBits) {
                            h[k & 0xffff]++;
                        }
                    }
                }
            }
            return h;
        }).stream().reduce(RadixCut::sum).orElseThrow();
    }

    /**
     * Runs {@code task} on every group in parallel and returns the results in group order; an
     * exception is rethrown as thrown (not wrapped by the pool), the first group's if several fail.
     */
    private <T> List<T> inGroups(java.util.function.Function<int[], T> task) {
        int count = groups.size();
        Object[] results = new Object[count];
        ParallelIndices.forEach(count, i -> results[i] = task.apply(groups.get(i)));
        List<T> list = new ArrayList<>(count);
        for (Object result : results) {
            @SuppressWarnings("unchecked")
            T typed = (T) result;
            list.add(typed);
        }
        return list;
    }

    private static int[] sum(int[] x, int[] y) {
        for (int b = 0; b < x.length; b++) {
            x[b] += y[b];
        }
        return x;
    }

    /**
     * Pass 3: {@code out = key > cut}; counts per array the selected keys and, per chunk, the keys
     * equal to the cut.
     */
    private void mark(int cut, boolean[][] out, long[] selected, int[][] tiesPerChunk) {
        inGroups(g -> {
            int[] chunk = reuse ? null : scratch.take(CHUNK, false);
            for (int a = g[0]; a < g[1]; a++) {
                int n = keys.length(a);
                if (n < 0) {
                    continue;
                }
                boolean[] o = out[a];
                long above = 0;
                int[] ties = new int[(n + CHUNK - 1) / CHUNK];
                for (int from = 0, c = 0; from < n; from += CHUNK, c++) {
                    int to = Math.min(n, from + CHUNK);
                    int[] s = keysOf(a, from, to, chunk, false);
                    int shift = reuse ? 0 : -from;
                    int equal = 0;
                    for (int p = from; p < to; p++) {
                        int k = s[p + shift];
                        o[p] = k > cut;
                        // branch-free count: the sign of cut - k in 64 bits
                        above += ((long) cut - k) >>> 63;
                        if (k == cut) {
                            equal++;
                        }
                    }
                    ties[c] = equal;
                }
                selected[a] = above;
                tiesPerChunk[a] = ties;
            }
            return null;
        });
    }

    /** Pass 4 (short): selects the first {@code needed} keys equal to the cut, scanning only chunks holding some. */
    private void takeTies(int cut, long needed, int[][] tiesPerChunk, boolean[][] out, long[] selected) {
        int[] chunk = reuse ? null : scratch.take(CHUNK, false);
        for (int a = 0; a < out.length && needed > 0; a++) {
            int[] ties = tiesPerChunk[a];
            for (int c = 0; ties != null && c < ties.length && needed > 0; c++) {
                if (ties[c] == 0) {
                    continue;
                }
                int from = c * CHUNK;
                int to = Math.min(keys.length(a), from + CHUNK);
                int[] s = keysOf(a, from, to, chunk, false);
                int shift = reuse ? 0 : -from;
                for (int p = from; p < to && needed > 0; p++) {
                    if (s[p + shift] == cut) {
                        out[a][p] = true;
                        selected[a]++;
                        needed--;
                    }
                }
            }
        }
    }

    /** @return the smallest key among the selected positions (only after selecting every eligible one) */
    private int minimumSelected(boolean[][] out) {
        int min = Integer.MAX_VALUE;
        int[] chunk = reuse ? null : scratch.take(CHUNK, false);
        for (int a = 0; a < keys.arrays(); a++) {
            int n = keys.length(a);
            for (int from = 0; from < n; from += CHUNK) {
                int to = Math.min(n, from + CHUNK);
                int[] s = keysOf(a, from, to, chunk, false);
                int shift = reuse ? 0 : -from;
                for (int p = from; p < to; p++) {
                    min = out[a][p] ? Math.min(min, s[p + shift]) : min;
                }
            }
        }
        return min;
    }
}
