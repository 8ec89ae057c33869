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
 * the last whole block ({@code rows % ROWS}) are left to the per-row kernel. Blocks may also hold
 * {@link #WIDE_ROWS} = 5 rows ({@link #of(CsrMatrix, IntUnaryOperator, int)}), for channel counts that are a
 * multiple of 5 but not of 4 (a shrunk network's 5, 10, 15 channels), whose remainder rows the per-row kernel
 * would otherwise compute at one source load per multiply-add. Immutable.
 */
final class ChannelBlocks {

    /** Output channels per block. */
    static final int ROWS = 4;
    /** Output channels per wide block (the Vector API kernel's 5 x 4 accumulators fit 32 vector registers). */
    static final int WIDE_ROWS = 5;

    private final int rows;
    private final int blocks;
    private final int[] blockStart;
    private final int[] offsets;
    private final float[] values;
    private final long nonZeros;

    private ChannelBlocks(int rows, int blocks, int[] blockStart, int[] offsets, float[] values, long nonZeros) {
        this.rows = rows;
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
        return of(weights, offset, ROWS);
    }

    /**
     * Groups the whole blocks of {@code rows} rows of {@code weights}.
     *
     * @param weights the CSR weights; not modified
     * @param offset maps a weight column to its source offset (as the per-row kernel's offsets)
     * @param rows rows per block, {@link #ROWS} or {@link #WIDE_ROWS}
     * @return the blocks ({@code weights.rows() / rows} of them, possibly none)
     * @throws IllegalArgumentException if {@code rows} is neither
     */
    static ChannelBlocks of(CsrMatrix weights, IntUnaryOperator offset, int rows) {
        if (rows != ROWS && rows != WIDE_ROWS) {
            throw new IllegalArgumentException("rows must be " + ROWS + " or " + WIDE_ROWS + ", got " + rows);
        }
        int blocks = weights.rows() / rows;
        int[] rowStart = weights.rowStarts();
        int[] columns = weights.columns();
        float[] rowValues = weights.values();
        int[] blockStart = new int[blocks + 1];
        for (int b = 0; b < blocks; b++) {
            blockStart[b + 1] = blockStart[b] + unionSize(rowStart, columns, rows * b, rows);
        }
        int taps = blockStart[blocks];
        int[] offsets = new int[taps];
        float[] values = new float[taps * rows];
        for (int b = 0; b < blocks; b++) {
            merge(rowStart, columns, rowValues, rows * b, rows, blockStart[b], offset, offsets, values);
        }
        long nonZeros = rowStart[blocks * rows];
        return new ChannelBlocks(rows, blocks, blockStart, offsets, values, nonZeros);
    }

    /**
     * @param channels output channels
     * @param wide true if the kernel has a wide-block kernel ({@link RowKernel#wideBlocks()})
     * @return rows per block for that many channels: {@link #WIDE_ROWS} for a multiple of 5 that is not one of 4
     *     (all rows in blocks instead of 1-3 left to the per-row kernel), else {@link #ROWS}
     */
    static int rowsFor(int channels, boolean wide) {
        return wide && channels % ROWS != 0 && channels % WIDE_ROWS == 0 ? WIDE_ROWS : ROWS;
    }

    /** @return rows per block, {@link #ROWS} or {@link #WIDE_ROWS} */
    int rows() {
        return rows;
    }

    /** @return the number of whole blocks; rows {@code [0, rows() * blocks())} are in them */
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

    /** @return {@code [taps, rows()]} weights (shared, do not modify) */
    float[] values() {
        return values;
    }

    /**
     * @return products computed per source position over products needed: {@code rows() * taps / nonZeros} of
     *     the blocked rows, 1 for a dense layer, up to {@code rows()} for scattered weights; infinite without
     *     non-zeros
     */
    double fill() {
        return nonZeros == 0 ? Double.POSITIVE_INFINITY : (double) rows * blockStart[blocks] / nonZeros;
    }

    /** Number of distinct columns of rows {@code [first, first + rows)}: a merge of their sorted columns. */
    private static int unionSize(int[] rowStart, int[] columns, int first, int rows) {
        return merge(rowStart, columns, null, first, rows, 0, null, null, null);
    }

    /**
     * Walks the sorted columns of rows {@code [first, first + rows)} together and, unless {@code offsets} is null,
     * writes the block's taps from tap {@code tap} on.
     *
     * @return the number of distinct columns (taps)
     */
    private static int merge(int[] rowStart, int[] columns, float[] rowValues, int first, int rows, int tap,
                             IntUnaryOperator offset, int[] offsets, float[] values) {
        int[] at = new int[rows];
        for (int j = 0; j < rows; j++) {
            at[j] = rowStart[first + j];
        }
        int t = tap;
        for (int column = next(rowStart, columns, first, at); column != Integer.MAX_VALUE; column = next(rowStart,
                columns, first, at)) {
            if (offsets != null) {
                offsets[t] = offset.applyAsInt(column);
                for (int j = 0; j < rows; j++) {
                    if (at[j] < rowStart[first + j + 1] && columns[at[j]] == column) {
                        values[t * rows + j] = rowValues[at[j]];
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
        for (int j = 0; j < at.length; j++) {
            if (at[j] < rowStart[first + j + 1]) {
                column = Math.min(column, columns[at[j]]);
            }
        }
        return column;
    }

    private static void advance(int[] rowStart, int[] columns, int first, int[] at, int column) {
        for (int j = 0; j < at.length; j++) {
            if (at[j] < rowStart[first + j + 1] && columns[at[j]] == column) {
                at[j]++;
            }
        }
    }
}
