package org.rpg4j.sparse.kernel;

import java.util.function.IntUnaryOperator;

/**
 * The rows of a CSR weight matrix grouped in blocks of {@link #ROWS} consecutive output channels that share
 * one list of taps: the union of the block's non-zero columns, in increasing column order, with the rows'
 * weights side by side ({@code [taps, ROWS]}) and a stored zero where a row has no weight at a tap. A kernel
 * then loads each source vector once per tap and multiplies it into {@code ROWS} accumulators (register
 * blocking over output channels, as in a GEMM micro-kernel; XNNPACK's and Elsen et al.'s sparse kernels block
 * output channels the same way). A dense layer stores no zero; a sparse one pays for its stored zeros, so a
 * convolution uses blocks only where {@link #fill()} is low enough ({@link ChannelBlocking}). The rows after
 * the last whole block ({@code rows % ROWS}) are left to the per-row kernel. Immutable.
 */
final class ChannelBlocks {

    /** Output channels per block. */
    static final int ROWS = 4;

    private final int blocks;
    private final int[] blockStart;
    private final int[] offsets;
    private final float[] values;
    private final long nonZeros;

    private ChannelBlocks(int blocks, int[] blockStart, int[] offsets, float[] values, long nonZeros) {
        this.blocks = blocks;
        this.blockStart = blockStart;
        this.offsets = offsets;
        this.values = values;
        this.nonZeros = nonZeros;
    }

    /**
     * Groups the whole blocks of rows of {@code weights}.
     *
     * @param weights the CSR weights; not modified
     * @param offset maps a weight column to its source offset (as the per-row kernel's offsets)
     * @return the blocks ({@code weights.rows() / ROWS} of them, possibly none)
     */
    static ChannelBlocks of(CsrMatrix weights, IntUnaryOperator offset) {
        int blocks = weights.rows() / ROWS;
        int[] rowStart = weights.rowStarts();
        int[] columns = weights.columns();
        float[] rowValues = weights.values();
        int[] blockStart = new int[blocks + 1];
        for (int b = 0; b < blocks; b++) {
            blockStart[b + 1] = blockStart[b] + unionSize(rowStart, columns, ROWS * b);
        }
        int taps = blockStart[blocks];
        int[] offsets = new int[taps];
        float[] values = new float[taps * ROWS];
        for (int b = 0; b < blocks; b++) {
            merge(rowStart, columns, rowValues, ROWS * b, blockStart[b], offset, offsets, values);
        }
        long nonZeros = rowStart[blocks * ROWS];
        return new ChannelBlocks(blocks, blockStart, offsets, values, nonZeros);
    }

    /** @return the number of whole blocks; rows {@code [0, ROWS * blocks())} are in them */
    int blocks() {
        return blocks;
    }

    /** @return the blocks' first taps, {@code [blocks + 1]} (shared, do not modify) */
    int[] blockStart() {
        return blockStart;
    }

    /** @return each tap's source offset (shared, do not modify) */
    int[] offsets() {
        return offsets;
    }

    /** @return {@code [taps, ROWS]} weights (shared, do not modify) */
    float[] values() {
        return values;
    }

    /**
     * @return products computed per source position over products needed: {@code ROWS * taps / nonZeros} of the
     *     blocked rows, 1 for a dense layer, up to {@code ROWS} for scattered weights; infinite without non-zeros
     */
    double fill() {
        return nonZeros == 0 ? Double.POSITIVE_INFINITY : (double) ROWS * blockStart[blocks] / nonZeros;
    }

    /** Number of distinct columns of rows {@code [first, first + ROWS)}: a merge of their sorted columns. */
    private static int unionSize(int[] rowStart, int[] columns, int first) {
        return merge(rowStart, columns, null, first, 0, null, null, null);
    }

    /**
     * Walks the sorted columns of rows {@code [first, first + ROWS)} together and, unless {@code offsets} is null,
     * writes the block's taps from tap {@code tap} on.
     *
     * @return the number of distinct columns (taps)
     */
    private static int merge(int[] rowStart, int[] columns, float[] rowValues, int first, int tap,
                             IntUnaryOperator offset, int[] offsets, float[] values) {
        int[] at = new int[ROWS];
        for (int j = 0; j < ROWS; j++) {
            at[j] = rowStart[first + j];
        }
        int t = tap;
        for (int column = next(rowStart, columns, first, at); column != Integer.MAX_VALUE; column = next(rowStart,
                columns, first, at)) {
            if (offsets != null) {
                offsets[t] = offset.applyAsInt(column);
                for (int j = 0; j < ROWS; j++) {
                    if (at[j] < rowStart[first + j + 1] && columns[at[j]] == column) {
                        values[t * ROWS + j] = rowValues[at[j]];
                    }
                }
            }
            advance(rowStart, columns, first, at, column);
            t++;
        }
        return t - tap;
    }

    /** @return the smallest column not yet merged among the rows, or MAX_VALUE when all are done */
    private static int next(int[] rowStart, int[] columns, int first, int[] at) {
        int column = Integer.MAX_VALUE;
        for (int j = 0; j < ROWS; j++) {
            if (at[j] < rowStart[first + j + 1]) {
                column = Math.min(column, columns[at[j]]);
            }
        }
        return column;
    }

    private static void advance(int[] rowStart, int[] columns, int first, int[] at, int column) {
        for (int j = 0; j < ROWS; j++) {
            if (at[j] < rowStart[first + j + 1] && columns[at[j]] == column) {
                at[j]++;
            }
        }
    }
}
