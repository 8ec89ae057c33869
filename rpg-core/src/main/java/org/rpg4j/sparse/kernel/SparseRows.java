package org.rpg4j.sparse.kernel;

/**
 * The inner product of every sparse kernel: one output row is the bias plus the sum, over the row's
 * non-zero weights {@code w_k}, of {@code w_k} times a contiguous run of {@code n} source values
 * starting at {@code sourceBase + offsets[k]}. Four non-zeros are combined per pass over the
 * accumulator, so each pass does four multiply-adds per load and store of the accumulator; the loop
 * over {@code i} is a plain counted loop that HotSpot's C2 compiles to AVX2 vector code.
 */
final class SparseRows implements RowKernel {

    private static final int UNROLL = 4;

    /**
     * {@code acc[accBase + i] = bias + sum_k values[k] * source[sourceBase + offsets[k] + i]} for
     * {@code k in [from, to)} and {@code i in [0, n)}.
     *
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
    @Override
    public void rows(float[] values, int[] offsets, int[] rowStart, int rowFrom, int rowTo, float[] source,
                     int sourceBase, float[] bias, boolean relu, float[] residual, int residualBase, float[] out,
                     int outBase, int outStride, int n) {
        for (int r = rowFrom; r < rowTo; r++) {
            int base = outBase + r * outStride;
            row(values, offsets, rowStart[r], rowStart[r + 1], source, sourceBase, bias[r], out, base, n);
            if (residual != null) {
                int from = residualBase + r * outStride;
                for (int i = 0; i < n; i++) {
                    out[base + i] += residual[from + i];
                }
            }
            if (relu) {
                for (int i = base; i < base + n; i++) {
                    out[i] = Math.max(out[i], 0.0f);
                }
            }
        }
    }

    @Override
    public void row(float[] values, int[] offsets, int from, int to, float[] source, int sourceBase, float bias,
                    float[] acc, int accBase, int n) {
        java.util.Arrays.fill(acc, accBase, accBase + n, bias);
        int k = from;
        for (; k + UNROLL <= to; k += UNROLL) {
            float w0 = values[k];
            float w1 = values[k + 1];
            float w2 = values[k + 2];
            float w3 = values[k + 3];
            int a0 = sourceBase + offsets[k];
            int a1 = sourceBase + offsets[k + 1];
            int a2 = sourceBase + offsets[k + 2];
            int a3 = sourceBase + offsets[k + 3];
            for (int i = 0; i < n; i++) {
                acc[accBase + i] += w0 * source[a0 + i] + w1 * source[a1 + i] + w2 * source[a2 + i] + w3 * source[a3
                        + i];
            }
        }
        for (; k < to; k++) {
            float w = values[k];
            int a = sourceBase + offsets[k];
            for (int i = 0; i < n; i++) {
                acc[accBase + i] += w * source[a + i];
            }
        }
    }

    /**
     * Pixel by pixel: the block's four sums in registers while every tap adds its four weights times the one
     * source value, in increasing tap order ({@code s += w * x}, as the Vector API kernel's last positions).
     */
    @Override
    public void blocks(float[] values, int[] offsets, int[] blockStart, int blockFrom, int blockTo, float[] source,
                       int sourceBase, float[] bias, boolean relu, float[] residual, int residualBase, float[] out,
                       int outBase, int outStride, int n) {
        int rows = ChannelBlocks.ROWS;
        for (int b = blockFrom; b < blockTo; b++) {
            int from = blockStart[b];
            int to = blockStart[b + 1];
            int r = rows * b;
            int o = outBase + r * outStride;
            int q = residualBase + r * outStride;
            for (int i = 0; i < n; i++) {
                float s0 = bias[r];
                float s1 = bias[r + 1];
                float s2 = bias[r + 2];
                float s3 = bias[r + 3];
                for (int k = from; k < to; k++) {
                    float x = source[sourceBase + offsets[k] + i];
                    int v = rows * k;
                    s0 += values[v] * x;
                    s1 += values[v + 1] * x;
                    s2 += values[v + 2] * x;
                    s3 += values[v + 3] * x;
                }
                store(s0, relu, residual, q + i, out, o + i);
                store(s1, relu, residual, q + outStride + i, out, o + outStride + i);
                store(s2, relu, residual, q + 2 * outStride + i, out, o + 2 * outStride + i);
                store(s3, relu, residual, q + 3 * outStride + i, out, o + 3 * outStride + i);
            }
        }
    }

    /** Pixel by pixel, as {@link #blocks} with five sums. */
    @Override
    public void wideBlocks(float[] values, int[] offsets, int[] blockStart, int blockFrom, int blockTo,
                           float[] source, int sourceBase, float[] bias, boolean relu, float[] residual,
                           int residualBase, float[] out, int outBase, int outStride, int n) {
        int rows = ChannelBlocks.WIDE_ROWS;
        for (int b = blockFrom; b < blockTo; b++) {
            int from = blockStart[b];
            int to = blockStart[b + 1];
            int r = rows * b;
            int o = outBase + r * outStride;
            int q = residualBase + r * outStride;
            for (int i = 0; i < n; i++) {
                float s0 = bias[r];
                float s1 = bias[r + 1];
                float s2 = bias[r + 2];
                float s3 = bias[r + 3];
                float s4 = bias[r + 4];
                for (int k = from; k < to; k++) {
                    float x = source[sourceBase + offsets[k] + i];
                    int v = rows * k;
                    s0 += values[v] * x;
                    s1 += values[v + 1] * x;
                    s2 += values[v + 2] * x;
                    s3 += values[v + 3] * x;
                    s4 += values[v + 4] * x;
                }
                store(s0, relu, residual, q + i, out, o + i);
                store(s1, relu, residual, q + outStride + i, out, o + outStride + i);
                store(s2, relu, residual, q + 2 * outStride + i, out, o + 2 * outStride + i);
                store(s3, relu, residual, q + 3 * outStride + i, out, o + 3 * outStride + i);
                store(s4, relu, residual, q + 4 * outStride + i, out, o + 4 * outStride + i);
            }
        }
    }

    /** @return true: the scalar wide blocks are correct (AUTO keeps the scalar kernel per row anyway) */
    @Override
    public boolean hasWideBlocks() {
        return true;
    }

    /** {@code out[o] = act(s + residual[q])}, no residual term when it is null. */
    private static void store(float s, boolean relu, float[] residual, int q, float[] out, int o) {
        float v = residual == null ? s : s + residual[q];
        out[o] = relu ? Math.max(v, 0.0f) : v;
    }

    @Override
    public void partial(float[] values, int[] offsets, int from, int to, float[] source, int sourceBase, float bias,
                        boolean first, boolean relu, float[] out, int o, int n) {
        if (first) {
            java.util.Arrays.fill(out, o, o + n, bias);
        }
        for (int k = from; k < to; k++) {
            float w = values[k];
            int a = sourceBase + offsets[k];
            for (int i = 0; i < n; i++) {
                out[o + i] += w * source[a + i];
            }
        }
        if (relu) {
            for (int i = o; i < o + n; i++) {
                out[i] = Math.max(out[i], 0.0f);
            }
        }
    }
}
