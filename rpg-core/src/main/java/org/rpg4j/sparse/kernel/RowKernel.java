package org.rpg4j.sparse.kernel;

/**
 * One output row of a sparse product: {@code acc[accBase + i] = bias + sum_k values[k] *
 * source[sourceBase + offsets[k] + i]} for {@code k in [from, to)}, {@code i in [0, n)}. Implemented
 * in scalar Java ({@link SparseRows}) and with the Vector API ({@code VectorRows}).
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
}
