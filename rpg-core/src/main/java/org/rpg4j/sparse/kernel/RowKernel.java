package org.rpg4j.sparse.kernel;

/**
 * One output row of a sparse product: {@code acc[accBase + i] = bias + sum_k values[k] *
 * source[sourceBase + offsets[k] + i]} for {@code k in [from, to)}, {@code i in [0, n)}; or a block of
 * {@link ChannelBlocks#ROWS} rows that share their taps ({@link #blocks}). Implemented in scalar Java
 * ({@link SparseRows}) and with the Vector API ({@code VectorRows}).
 */
interface RowKernel {

    /**
     * @param values non-zero weights; not modified
     * @param offsets source offset of each non-zero; not modified
     * @param from first non-zero of the row
     * @param to end (exclusive) of the row's non-zeros
     * @param source activations; not modified
     * @param sourceBase added to every offset
     * @param bias the row's bias
     * @param acc output, {@code acc[accBase .. accBase + n)} overwritten
     * @param accBase first written index of {@code acc}
     * @param n length of the run
     */
    void row(float[] values, int[] offsets, int from, int to, float[] source, int sourceBase, float bias,
             float[] acc, int accBase, int n);

    /**
     * Rows {@code [rowFrom, rowTo)} of a CSR product: {@code out[outBase + r * outStride + i] =
     * act(bias[r] + sum_k values[k] * source[sourceBase + offsets[k] + i] + residual[residualBase + r *
     * outStride + i])} for {@code k} in row {@code r}'s range {@code [rowStart[r], rowStart[r + 1])} and
     * {@code i in [0, n)}, {@code act} the ReLU if {@code relu}, else the identity; no residual term when
     * {@code residual} is null.
     *
     * @param values non-zero weights; not modified
     * @param offsets source offset of each non-zero; not modified
     * @param rowStart CSR row pointers; not modified
     * @param rowFrom first row
     * @param rowTo end (exclusive) of the rows
     * @param source activations; not modified
     * @param sourceBase added to every offset
     * @param bias one per row; not modified
     * @param relu true to store {@code max(0, x)}
     * @param residual added before the activation (a residual connection), or null; not modified
     * @param residualBase index of row 0's first residual value
     * @param out output; the rows' runs are overwritten, nothing else
     * @param outBase index of row 0's first output
     * @param outStride distance between the runs of consecutive rows, &ge; n
     * @param n length of each run
     */
    void rows(float[] values, int[] offsets, int[] rowStart, int rowFrom, int rowTo, float[] source, int sourceBase,
              float[] bias, boolean relu, float[] residual, int residualBase, float[] out, int outBase, int outStride,
              int n);

    /**
     * Blocks of {@link ChannelBlocks#ROWS} consecutive rows that share one list of taps (the union of their
     * non-zero columns, with stored zeros where a row has none; {@link ChannelBlocks}): block {@code b}
     * computes rows {@code ROWS * b + j}, {@code j in [0, ROWS)}, as {@code out[outBase + r * outStride + i] =
     * act(bias[r] + sum_t values[ROWS * t + j] * source[sourceBase + offsets[t] + i] + residual[...])} over
     * its taps {@code t in [blockStart[b], blockStart[b + 1])}, in increasing tap order, {@code i in [0, n)}.
     * Each source value loaded serves the {@code ROWS} rows (register blocking over output channels).
     *
     * @param values {@code [taps, ROWS]}: the rows' weights at each tap, zero where a row has none; not modified
     * @param offsets source offset of each tap; not modified
     * @param blockStart the blocks' first taps, {@code [blocks + 1]}; not modified
     * @param blockFrom first block
     * @param blockTo end (exclusive) of the blocks
     * @param source activations; not modified
     * @param sourceBase added to every offset
     * @param bias one per row; not modified
     * @param relu true to store {@code max(0, x)}
     * @param residual added before the activation, or null; not modified
     * @param residualBase index of row 0's first residual value
     * @param out output; the blocks' rows' runs are overwritten, nothing else
     * @param outBase index of row 0's first output
     * @param outStride distance between the runs of consecutive rows, &ge; n
     * @param n length of each run
     */
    void blocks(float[] values, int[] offsets, int[] blockStart, int blockFrom, int blockTo, float[] source,
                int sourceBase, float[] bias, boolean relu, float[] residual, int residualBase, float[] out,
                int outBase, int outStride, int n);

    /**
     * As {@link #blocks}, for blocks of {@link ChannelBlocks#WIDE_ROWS} = 5 rows ({@code values} is
     * {@code [taps, 5]}, block {@code b} computes rows {@code 5 * b + j}): the same sums in the same order.
     *
     * @param values {@code [taps, 5]}: the rows' weights at each tap, zero where a row has none; not modified
     * @param offsets source offset of each tap; not modified
     * @param blockStart the blocks' first taps, {@code [blocks + 1]}; not modified
     * @param blockFrom first block
     * @param blockTo end (exclusive) of the blocks
     * @param source activations; not modified
     * @param sourceBase added to every offset
     * @param bias one per row; not modified
     * @param relu true to store {@code max(0, x)}
     * @param residual added before the activation, or null; not modified
     * @param residualBase index of row 0's first residual value
     * @param out output; the blocks' rows' runs are overwritten, nothing else
     * @param outBase index of row 0's first output
     * @param outStride distance between the runs of consecutive rows, &ge; n
     * @param n length of each run
     */
    void wideBlocks(float[] values, int[] offsets, int[] blockStart, int blockFrom, int blockTo, float[] source,
                    int sourceBase, float[] bias, boolean relu, float[] residual, int residualBase, float[] out,
                    int outBase, int outStride, int n);

    /**
     * @return true if {@link #wideBlocks} keeps its sums in registers here (the Vector API kernel with 16 lanes or
     *     more: 5 x 4 accumulators, 5 weights and a source vector in the 32 AVX-512 registers), so that
     *     {@link ChannelBlocking#AUTO} may choose wide blocks
     */
    boolean hasWideBlocks();

    /**
     * Part of one row's run over part of its non-zeros, the rest of the sum already in {@code out} (a tile of a
     * sum split over input channels): {@code out[o + i] = act(start_i + sum_k values[k] * source[sourceBase +
     * offsets[k] + i])} for {@code k in [from, to)} and {@code i in [0, n)}, where {@code start_i} is
     * {@code bias} if {@code first}, else the value {@code out[o + i]} holds, and {@code act} the ReLU if
     * {@code relu}, else the identity.
     *
     * @param values non-zero weights; not modified
     * @param offsets source offset of each non-zero; not modified
     * @param from first non-zero of the part
     * @param to end (exclusive) of the part's non-zeros
     * @param source activations; not modified
     * @param sourceBase added to every offset
     * @param bias the row's bias, the start of the sum if {@code first}
     * @param first true for the first part of the sum (start from the bias), false to add to {@code out}
     * @param relu true to store {@code max(0, x)} (for the last part)
     * @param out the partial sums; {@code out[o .. o + n)} updated
     * @param o first index of the run in {@code out}
     * @param n length of the run
     */
    void partial(float[] values, int[] offsets, int from, int to, float[] source, int sourceBase, float bias,
                 boolean first, boolean relu, float[] out, int o, int n);
}
