package org.rpg4j.sparse.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API version of {@link SparseRows} (module {@code jdk.incubator.vector}, loaded only when
 * the JVM runs with {@code --add-modules jdk.incubator.vector}; see {@link KernelInstructions}). The
 * output run is cut into blocks of four vectors (32 floats with AVX2) held in registers while every
 * non-zero of the row adds its weight times the matching source block: per non-zero, four vector
 * loads and four fused multiply-adds, and the accumulator is stored once per block (after
 * "Fast Sparse ConvNets", Elsen et al., CVPR 2020, with the output-pixel block in registers).
 * HotSpot's C2 does not vectorise the scalar loop (two float arrays at unknown offsets may alias), so
 * this is 3-4x faster single-threaded on AVX2 (measured, see docs/deployment.md). One row at a time, each
 * loaded source vector feeds one multiply-add, so the loop is bound by its loads (unaligned: with AVX-512
 * every one crosses a cache line); {@link #blocks} computes four rows that share their taps, so that each
 * load feeds four.
 */
final class VectorRows implements RowKernel {

    private static final int ROWS = ChannelBlocks.ROWS;
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int BLOCKS = 4;

    /**
     * Row by row; each row's run is cut into blocks of eight vectors (64 floats with AVX2), then one of
     * four, held in registers while all the row's non-zeros add into them: eight independent FMA chains
     * hide the FMA latency better than four (measured against four vectors and against blocks of pixels
     * outside the rows, see docs/deployment.md). The residual and the ReLU are applied to the registers
     * before the store.
     */
    @Override
    public void rows(float[] values, int[] offsets, int[] rowStart, int rowFrom, int rowTo, float[] source,
                     int sourceBase, float[] bias, boolean relu, float[] residual, int residualBase, float[] out,
                     int outBase, int outStride, int n) {
        int lanes = SPECIES.length();
        for (int r = rowFrom; r < rowTo; r++) {
            int from = rowStart[r];
            int to = rowStart[r + 1];
            int o = outBase + r * outStride;
            int q = residualBase + r * outStride;
            FloatVector start = FloatVector.broadcast(SPECIES, bias[r]);
            int i = 0;
            for (; i + 8 * lanes <= n; i += 8 * lanes) {
                FloatVector s0 = start;
                FloatVector s1 = start;
                FloatVector s2 = start;
                FloatVector s3 = start;
                FloatVector s4 = start;
                FloatVector s5 = start;
                FloatVector s6 = start;
                FloatVector s7 = start;
                for (int k = from; k < to; k++) {
                    FloatVector w = FloatVector.broadcast(SPECIES, values[k]);
                    int a = sourceBase + offsets[k] + i;
                    s0 = FloatVector.fromArray(SPECIES, source, a).fma(w, s0);
                    s1 = FloatVector.fromArray(SPECIES, source, a + lanes).fma(w, s1);
                    s2 = FloatVector.fromArray(SPECIES, source, a + 2 * lanes).fma(w, s2);
                    s3 = FloatVector.fromArray(SPECIES, source, a + 3 * lanes).fma(w, s3);
                    s4 = FloatVector.fromArray(SPECIES, source, a + 4 * lanes).fma(w, s4);
                    s5 = FloatVector.fromArray(SPECIES, source, a + 5 * lanes).fma(w, s5);
                    s6 = FloatVector.fromArray(SPECIES, source, a + 6 * lanes).fma(w, s6);
                    s7 = FloatVector.fromArray(SPECIES, source, a + 7 * lanes).fma(w, s7);
                }
                s0.intoArray(out, o + i);
                s1.intoArray(out, o + i + lanes);
                s2.intoArray(out, o + i + 2 * lanes);
                s3.intoArray(out, o + i + 3 * lanes);
                s4.intoArray(out, o + i + 4 * lanes);
                s5.intoArray(out, o + i + 5 * lanes);
                s6.intoArray(out, o + i + 6 * lanes);
                s7.intoArray(out, o + i + 7 * lanes);
                finish(relu, residual, q + i, out, o + i, 0, 1, 8 * lanes);
            }
            for (; i + 4 * lanes <= n; i += 4 * lanes) {
                FloatVector s0 = start;
                FloatVector s1 = start;
                FloatVector s2 = start;
                FloatVector s3 = start;
                for (int k = from; k < to; k++) {
                    FloatVector w = FloatVector.broadcast(SPECIES, values[k]);
                    int a = sourceBase + offsets[k] + i;
                    s0 = FloatVector.fromArray(SPECIES, source, a).fma(w, s0);
                    s1 = FloatVector.fromArray(SPECIES, source, a + lanes).fma(w, s1);
                    s2 = FloatVector.fromArray(SPECIES, source, a + 2 * lanes).fma(w, s2);
                    s3 = FloatVector.fromArray(SPECIES, source, a + 3 * lanes).fma(w, s3);
                }
                s0.intoArray(out, o + i);
                s1.intoArray(out, o + i + lanes);
                s2.intoArray(out, o + i + 2 * lanes);
                s3.intoArray(out, o + i + 3 * lanes);
                finish(relu, residual, q + i, out, o + i, 0, 1, 4 * lanes);
            }
            tail(values, 1, 0, offsets, from, to, source, sourceBase, bias[r], relu, residual, q, out, o, i, n);
        }
    }

    /**
     * Each block of {@link ChannelBlocks#ROWS} = 4 rows: its run is cut into steps of four vectors (with 16
     * lanes or more: 16 accumulators, 4 broadcast weights and one source vector fit the 32 AVX-512 registers),
     * then two, then one (the last positions row by row, in scalars), each held in registers for the four rows
     * while every tap of the block adds its four weights times the tap's source vectors: per tap and step of
     * four vectors, four loads and sixteen fused multiply-adds, where the per-row kernel has one load per
     * multiply-add. Every position gets the same operations in the per-row kernel's order, and a stored zero adds
     * nothing, so the outputs equal the per-row kernel's bit for bit (for finite inputs).
     */
    @Override
    public void blocks(float[] values, int[] offsets, int[] blockStart, int blockFrom, int blockTo, float[] source,
                       int sourceBase, float[] bias, boolean relu, float[] residual, int residualBase, float[] out,
                       int outBase, int outStride, int n) {
        int lanes = SPECIES.length();
        for (int b = blockFrom; b < blockTo; b++) {
            int from = blockStart[b];
            int to = blockStart[b + 1];
            int r = ROWS * b;
            int o = outBase + r * outStride;
            int q = residualBase + r * outStride;
            int i = 0;
            if (lanes >= 16) {
                if (n >= 5 * lanes && n / lanes % 4 == 1) {
                    // 5, 9, 13, ... whole vectors: one step of five first, so that no 1-vector step is left
                    fiveVectors(values, offsets, from, to, source, sourceBase, bias, r, relu, residual, q, out, o,
                            outStride);
                    i = 5 * lanes;
                }
                for (; i + 4 * lanes <= n; i += 4 * lanes) {
                    quad(values, offsets, from, to, source, sourceBase + i, bias, r, relu, residual, q + i, out,
                            o + i, outStride);
                }
            }
            for (; i + 2 * lanes <= n; i += 2 * lanes) {
                pair(values, offsets, from, to, source, sourceBase + i, bias, r, relu, residual, q + i, out, o + i,
                        outStride);
            }
            for (; i + lanes <= n; i += lanes) {
                single(values, offsets, from, to, source, sourceBase + i, bias, r, relu, residual, q + i, out, o + i,
                        outStride);
            }
            for (int j = 0; i < n && j < ROWS; j++) {
                tail(values, ROWS, j, offsets, from, to, source, sourceBase, bias[r + j], relu, residual,
                        q + j * outStride, out, o + j * outStride, i, n);
            }
        }
    }

    /**
     * Blocks of {@link ChannelBlocks#WIDE_ROWS} = 5 rows: steps of four vectors (with 16 lanes or more: 20
     * accumulators, 5 broadcast weights and one source vector in the 32 AVX-512 registers), then one, then the last
     * positions row by row in scalars; per tap and step of four vectors, four loads and twenty fused multiply-adds.
     * A shrunk network's 5- and 10-channel layers otherwise ran one or two of every five rows through {@link #rows}
     * at one (unaligned) source load per multiply-add. The same operations per position as {@link #rows}.
     */
    @Override
    public void wideBlocks(float[] values, int[] offsets, int[] blockStart, int blockFrom, int blockTo,
                           float[] source, int sourceBase, float[] bias, boolean relu, float[] residual,
                           int residualBase, float[] out, int outBase, int outStride, int n) {
        int lanes = SPECIES.length();
        int rows = ChannelBlocks.WIDE_ROWS;
        for (int b = blockFrom; b < blockTo; b++) {
            int from = blockStart[b];
            int to = blockStart[b + 1];
            int r = rows * b;
            int o = outBase + r * outStride;
            int q = residualBase + r * outStride;
            int i = 0;
            if (lanes >= 16) {
                for (; i + 4 * lanes <= n; i += 4 * lanes) {
                    wideQuad(values, offsets, from, to, source, sourceBase + i, bias, r, relu, residual, q + i, out,
                            o + i, outStride);
                }
                if (i > 0 && i < n && n % lanes == 0) {
                    // the last 1-3 vectors as one more step of four ending at n, overlapping the previous one: its
                    // positions get the same values again (the same operations), and no small method runs. Two
                    // wideSingle calls (a 10-channel 16x16 layer's 18 vectors) ran at 7-9 us instead of 3.3 in the
                    // JVMs where C2 compiled wideBlocks before wideSingle (three of five, -XX:+PrintCompilation:
                    // wideSingle then never got its own C2 compile; docs/structured.md session 14)
                    i = n - 4 * lanes;
                    wideQuad(values, offsets, from, to, source, sourceBase + i, bias, r, relu, residual, q + i, out,
                            o + i, outStride);
                    i = n;
                }
            }
            for (; i + lanes <= n; i += lanes) {
                wideSingle(values, offsets, from, to, source, sourceBase + i, bias, r, relu, residual, q + i, out,
                        o + i, outStride);
            }
            for (int j = 0; i < n && j < rows; j++) {
                tail(values, rows, j, offsets, from, to, source, sourceBase, bias[r + j], relu, residual,
                        q + j * outStride, out, o + j * outStride, i, n);
            }
        }
    }

    /** @return true with 16 lanes or more (AVX-512): the wide block's 26 vectors fit the registers */
    @Override
    public boolean hasWideBlocks() {
        return SPECIES.length() >= 16;
    }

    /** Five rows by four vectors of one wide block, from {@code base} (the source index of the step). */
    private static void wideQuad(float[] values, int[] offsets, int from, int to, float[] source, int base,
                                 float[] bias, int r, boolean relu, float[] residual, int q, float[] out, int o,
                                 int stride) {
        int lanes = SPECIES.length();
        int rows = ChannelBlocks.WIDE_ROWS;
        FloatVector s00 = FloatVector.broadcast(SPECIES, bias[r]);
        FloatVector s01 = s00;
        FloatVector s02 = s00;
        FloatVector s03 = s00;
        FloatVector s10 = FloatVector.broadcast(SPECIES, bias[r + 1]);
        FloatVector s11 = s10;
        FloatVector s12 = s10;
        FloatVector s13 = s10;
        FloatVector s20 = FloatVector.broadcast(SPECIES, bias[r + 2]);
        FloatVector s21 = s20;
        FloatVector s22 = s20;
        FloatVector s23 = s20;
        FloatVector s30 = FloatVector.broadcast(SPECIES, bias[r + 3]);
        FloatVector s31 = s30;
        FloatVector s32 = s30;
        FloatVector s33 = s30;
        FloatVector s40 = FloatVector.broadcast(SPECIES, bias[r + 4]);
        FloatVector s41 = s40;
        FloatVector s42 = s40;
        FloatVector s43 = s40;
        for (int k = from; k < to; k++) {
            int a = base + offsets[k];
            int v = rows * k;
            FloatVector w0 = FloatVector.broadcast(SPECIES, values[v]);
            FloatVector w1 = FloatVector.broadcast(SPECIES, values[v + 1]);
            FloatVector w2 = FloatVector.broadcast(SPECIES, values[v + 2]);
            FloatVector w3 = FloatVector.broadcast(SPECIES, values[v + 3]);
            FloatVector w4 = FloatVector.broadcast(SPECIES, values[v + 4]);
            FloatVector x = FloatVector.fromArray(SPECIES, source, a);
            s00 = x.fma(w0, s00);
            s10 = x.fma(w1, s10);
            s20 = x.fma(w2, s20);
            s30 = x.fma(w3, s30);
            s40 = x.fma(w4, s40);
            x = FloatVector.fromArray(SPECIES, source, a + lanes);
            s01 = x.fma(w0, s01);
            s11 = x.fma(w1, s11);
            s21 = x.fma(w2, s21);
            s31 = x.fma(w3, s31);
            s41 = x.fma(w4, s41);
            x = FloatVector.fromArray(SPECIES, source, a + 2 * lanes);
            s02 = x.fma(w0, s02);
            s12 = x.fma(w1, s12);
            s22 = x.fma(w2, s22);
            s32 = x.fma(w3, s32);
            s42 = x.fma(w4, s42);
            x = FloatVector.fromArray(SPECIES, source, a + 3 * lanes);
            s03 = x.fma(w0, s03);
            s13 = x.fma(w1, s13);
            s23 = x.fma(w2, s23);
            s33 = x.fma(w3, s33);
            s43 = x.fma(w4, s43);
        }
        s00.intoArray(out, o);
        s01.intoArray(out, o + lanes);
        s02.intoArray(out, o + 2 * lanes);
        s03.intoArray(out, o + 3 * lanes);
        s10.intoArray(out, o + stride);
        s11.intoArray(out, o + stride + lanes);
        s12.intoArray(out, o + stride + 2 * lanes);
        s13.intoArray(out, o + stride + 3 * lanes);
        s20.intoArray(out, o + 2 * stride);
        s21.intoArray(out, o + 2 * stride + lanes);
        s22.intoArray(out, o + 2 * stride + 2 * lanes);
        s23.intoArray(out, o + 2 * stride + 3 * lanes);
        s30.intoArray(out, o + 3 * stride);
        s31.intoArray(out, o + 3 * stride + lanes);
        s32.intoArray(out, o + 3 * stride + 2 * lanes);
        s33.intoArray(out, o + 3 * stride + 3 * lanes);
        s40.intoArray(out, o + 4 * stride);
        s41.intoArray(out, o + 4 * stride + lanes);
        s42.intoArray(out, o + 4 * stride + 2 * lanes);
        s43.intoArray(out, o + 4 * stride + 3 * lanes);
        finish(relu, residual, q, out, o, stride, rows, 4 * lanes);
    }

    /** Five rows by one vector of one wide block. */
    private static void wideSingle(float[] values, int[] offsets, int from, int to, float[] source, int base,
                                   float[] bias, int r, boolean relu, float[] residual, int q, float[] out, int o,
                                   int stride) {
        int rows = ChannelBlocks.WIDE_ROWS;
        FloatVector s00 = FloatVector.broadcast(SPECIES, bias[r]);
        FloatVector s10 = FloatVector.broadcast(SPECIES, bias[r + 1]);
        FloatVector s20 = FloatVector.broadcast(SPECIES, bias[r + 2]);
        FloatVector s30 = FloatVector.broadcast(SPECIES, bias[r + 3]);
        FloatVector s40 = FloatVector.broadcast(SPECIES, bias[r + 4]);
        for (int k = from; k < to; k++) {
            int a = base + offsets[k];
            int v = rows * k;
            FloatVector x = FloatVector.fromArray(SPECIES, source, a);
            s00 = x.fma(FloatVector.broadcast(SPECIES, values[v]), s00);
            s10 = x.fma(FloatVector.broadcast(SPECIES, values[v + 1]), s10);
            s20 = x.fma(FloatVector.broadcast(SPECIES, values[v + 2]), s20);
            s30 = x.fma(FloatVector.broadcast(SPECIES, values[v + 3]), s30);
            s40 = x.fma(FloatVector.broadcast(SPECIES, values[v + 4]), s40);
        }
        s00.intoArray(out, o);
        s10.intoArray(out, o + stride);
        s20.intoArray(out, o + 2 * stride);
        s30.intoArray(out, o + 3 * stride);
        s40.intoArray(out, o + 4 * stride);
        finish(relu, residual, q, out, o, stride, rows, SPECIES.length());
    }

    /** Four rows by four vectors of one block, from {@code base} (the source index of the step). */
    private static void quad(float[] values, int[] offsets, int from, int to, float[] source, int base, float[] bias,
                     int r, boolean relu, float[] residual, int q, float[] out, int o, int stride) {
        int lanes = SPECIES.length();
        FloatVector s00 = FloatVector.broadcast(SPECIES, bias[r]);
        FloatVector s01 = s00;
        FloatVector s02 = s00;
        FloatVector s03 = s00;
        FloatVector s10 = FloatVector.broadcast(SPECIES, bias[r + 1]);
        FloatVector s11 = s10;
        FloatVector s12 = s10;
        FloatVector s13 = s10;
        FloatVector s20 = FloatVector.broadcast(SPECIES, bias[r + 2]);
        FloatVector s21 = s20;
        FloatVector s22 = s20;
        FloatVector s23 = s20;
        FloatVector s30 = FloatVector.broadcast(SPECIES, bias[r + 3]);
        FloatVector s31 = s30;
        FloatVector s32 = s30;
        FloatVector s33 = s30;
        for (int k = from; k < to; k++) {
            int a = base + offsets[k];
            int v = ROWS * k;
            FloatVector w0 = FloatVector.broadcast(SPECIES, values[v]);
            FloatVector w1 = FloatVector.broadcast(SPECIES, values[v + 1]);
            FloatVector w2 = FloatVector.broadcast(SPECIES, values[v + 2]);
            FloatVector w3 = FloatVector.broadcast(SPECIES, values[v + 3]);
            FloatVector x = FloatVector.fromArray(SPECIES, source, a);
            s00 = x.fma(w0, s00);
            s10 = x.fma(w1, s10);
            s20 = x.fma(w2, s20);
            s30 = x.fma(w3, s30);
            x = FloatVector.fromArray(SPECIES, source, a + lanes);
            s01 = x.fma(w0, s01);
            s11 = x.fma(w1, s11);
            s21 = x.fma(w2, s21);
            s31 = x.fma(w3, s31);
            x = FloatVector.fromArray(SPECIES, source, a + 2 * lanes);
            s02 = x.fma(w0, s02);
            s12 = x.fma(w1, s12);
            s22 = x.fma(w2, s22);
            s32 = x.fma(w3, s32);
            x = FloatVector.fromArray(SPECIES, source, a + 3 * lanes);
            s03 = x.fma(w0, s03);
            s13 = x.fma(w1, s13);
            s23 = x.fma(w2, s23);
            s33 = x.fma(w3, s33);
        }
        s00.intoArray(out, o);
        s01.intoArray(out, o + lanes);
        s02.intoArray(out, o + 2 * lanes);
        s03.intoArray(out, o + 3 * lanes);
        s10.intoArray(out, o + stride);
        s11.intoArray(out, o + stride + lanes);
        s12.intoArray(out, o + stride + 2 * lanes);
        s13.intoArray(out, o + stride + 3 * lanes);
        s20.intoArray(out, o + 2 * stride);
        s21.intoArray(out, o + 2 * stride + lanes);
        s22.intoArray(out, o + 2 * stride + 2 * lanes);
        s23.intoArray(out, o + 2 * stride + 3 * lanes);
        s30.intoArray(out, o + 3 * stride);
        s31.intoArray(out, o + 3 * stride + lanes);
        s32.intoArray(out, o + 3 * stride + 2 * lanes);
        s33.intoArray(out, o + 3 * stride + 3 * lanes);
        finish(relu, residual, q, out, o, stride, ROWS, 4 * lanes);
    }

    /**
     * Four rows by five vectors of one block (20 accumulators, 4 weights and a source vector: 25 of the 32 AVX-512
     * registers), for runs of 5, 9, 13, ... vectors: an 8x8 plane at padded width (80 floats, 5 vectors) ran a
     * 4-vector step and then a 1-vector step at one load and four broadcasts per four multiply-adds.
     */
    private static void fiveVectors(float[] values, int[] offsets, int from, int to, float[] source, int base,
                                    float[] bias, int r, boolean relu, float[] residual, int q, float[] out, int o,
                                    int stride) {
        int lanes = SPECIES.length();
        FloatVector s00 = FloatVector.broadcast(SPECIES, bias[r]);
        FloatVector s01 = s00;
        FloatVector s02 = s00;
        FloatVector s03 = s00;
        FloatVector s04 = s00;
        FloatVector s10 = FloatVector.broadcast(SPECIES, bias[r + 1]);
        FloatVector s11 = s10;
        FloatVector s12 = s10;
        FloatVector s13 = s10;
        FloatVector s14 = s10;
        FloatVector s20 = FloatVector.broadcast(SPECIES, bias[r + 2]);
        FloatVector s21 = s20;
        FloatVector s22 = s20;
        FloatVector s23 = s20;
        FloatVector s24 = s20;
        FloatVector s30 = FloatVector.broadcast(SPECIES, bias[r + 3]);
        FloatVector s31 = s30;
        FloatVector s32 = s30;
        FloatVector s33 = s30;
        FloatVector s34 = s30;
        for (int k = from; k < to; k++) {
            int a = base + offsets[k];
            int v = ROWS * k;
            FloatVector w0 = FloatVector.broadcast(SPECIES, values[v]);
            FloatVector w1 = FloatVector.broadcast(SPECIES, values[v + 1]);
            FloatVector w2 = FloatVector.broadcast(SPECIES, values[v + 2]);
            FloatVector w3 = FloatVector.broadcast(SPECIES, values[v + 3]);
            FloatVector x = FloatVector.fromArray(SPECIES, source, a);
            s00 = x.fma(w0, s00);
            s10 = x.fma(w1, s10);
            s20 = x.fma(w2, s20);
            s30 = x.fma(w3, s30);
            x = FloatVector.fromArray(SPECIES, source, a + lanes);
            s01 = x.fma(w0, s01);
            s11 = x.fma(w1, s11);
            s21 = x.fma(w2, s21);
            s31 = x.fma(w3, s31);
            x = FloatVector.fromArray(SPECIES, source, a + 2 * lanes);
            s02 = x.fma(w0, s02);
            s12 = x.fma(w1, s12);
            s22 = x.fma(w2, s22);
            s32 = x.fma(w3, s32);
            x = FloatVector.fromArray(SPECIES, source, a + 3 * lanes);
            s03 = x.fma(w0, s03);
            s13 = x.fma(w1, s13);
            s23 = x.fma(w2, s23);
            s33 = x.fma(w3, s33);
            x = FloatVector.fromArray(SPECIES, source, a + 4 * lanes);
            s04 = x.fma(w0, s04);
            s14 = x.fma(w1, s14);
            s24 = x.fma(w2, s24);
            s34 = x.fma(w3, s34);
        }
        s00.intoArray(out, o);
        s01.intoArray(out, o + lanes);
        s02.intoArray(out, o + 2 * lanes);
        s03.intoArray(out, o + 3 * lanes);
        s04.intoArray(out, o + 4 * lanes);
        s10.intoArray(out, o + stride);
        s11.intoArray(out, o + stride + lanes);
        s12.intoArray(out, o + stride + 2 * lanes);
        s13.intoArray(out, o + stride + 3 * lanes);
        s14.intoArray(out, o + stride + 4 * lanes);
        s20.intoArray(out, o + 2 * stride);
        s21.intoArray(out, o + 2 * stride + lanes);
        s22.intoArray(out, o + 2 * stride + 2 * lanes);
        s23.intoArray(out, o + 2 * stride + 3 * lanes);
        s24.intoArray(out, o + 2 * stride + 4 * lanes);
        s30.intoArray(out, o + 3 * stride);
        s31.intoArray(out, o + 3 * stride + lanes);
        s32.intoArray(out, o + 3 * stride + 2 * lanes);
        s33.intoArray(out, o + 3 * stride + 3 * lanes);
        s34.intoArray(out, o + 3 * stride + 4 * lanes);
        finish(relu, residual, q, out, o, stride, ROWS, 5 * lanes);
    }

    /** Four rows by two vectors of one block. */
    private static void pair(float[] values, int[] offsets, int from, int to, float[] source, int base, float[] bias,
                     int r, boolean relu, float[] residual, int q, float[] out, int o, int stride) {
        int lanes = SPECIES.length();
        FloatVector s00 = FloatVector.broadcast(SPECIES, bias[r]);
        FloatVector s01 = s00;
        FloatVector s10 = FloatVector.broadcast(SPECIES, bias[r + 1]);
        FloatVector s11 = s10;
        FloatVector s20 = FloatVector.broadcast(SPECIES, bias[r + 2]);
        FloatVector s21 = s20;
        FloatVector s30 = FloatVector.broadcast(SPECIES, bias[r + 3]);
        FloatVector s31 = s30;
        for (int k = from; k < to; k++) {
            int a = base + offsets[k];
            int v = ROWS * k;
            FloatVector w0 = FloatVector.broadcast(SPECIES, values[v]);
            FloatVector w1 = FloatVector.broadcast(SPECIES, values[v + 1]);
            FloatVector w2 = FloatVector.broadcast(SPECIES, values[v + 2]);
            FloatVector w3 = FloatVector.broadcast(SPECIES, values[v + 3]);
            FloatVector x = FloatVector.fromArray(SPECIES, source, a);
            s00 = x.fma(w0, s00);
            s10 = x.fma(w1, s10);
            s20 = x.fma(w2, s20);
            s30 = x.fma(w3, s30);
            x = FloatVector.fromArray(SPECIES, source, a + lanes);
            s01 = x.fma(w0, s01);
            s11 = x.fma(w1, s11);
            s21 = x.fma(w2, s21);
            s31 = x.fma(w3, s31);
        }
        s00.intoArray(out, o);
        s01.intoArray(out, o + lanes);
        s10.intoArray(out, o + stride);
        s11.intoArray(out, o + stride + lanes);
        s20.intoArray(out, o + 2 * stride);
        s21.intoArray(out, o + 2 * stride + lanes);
        s30.intoArray(out, o + 3 * stride);
        s31.intoArray(out, o + 3 * stride + lanes);
        finish(relu, residual, q, out, o, stride, ROWS, 2 * lanes);
    }

    /** Four rows by one vector of one block. */
    private static void single(float[] values, int[] offsets, int from, int to, float[] source, int base, float[] bias,
                     int r, boolean relu, float[] residual, int q, float[] out, int o, int stride) {
        FloatVector s00 = FloatVector.broadcast(SPECIES, bias[r]);
        FloatVector s10 = FloatVector.broadcast(SPECIES, bias[r + 1]);
        FloatVector s20 = FloatVector.broadcast(SPECIES, bias[r + 2]);
        FloatVector s30 = FloatVector.broadcast(SPECIES, bias[r + 3]);
        for (int k = from; k < to; k++) {
            int a = base + offsets[k];
            int v = ROWS * k;
            FloatVector w0 = FloatVector.broadcast(SPECIES, values[v]);
            FloatVector w1 = FloatVector.broadcast(SPECIES, values[v + 1]);
            FloatVector w2 = FloatVector.broadcast(SPECIES, values[v + 2]);
            FloatVector w3 = FloatVector.broadcast(SPECIES, values[v + 3]);
            FloatVector x = FloatVector.fromArray(SPECIES, source, a);
            s00 = x.fma(w0, s00);
            s10 = x.fma(w1, s10);
            s20 = x.fma(w2, s20);
            s30 = x.fma(w3, s30);
        }
        s00.intoArray(out, o);
        s10.intoArray(out, o + stride);
        s20.intoArray(out, o + 2 * stride);
        s30.intoArray(out, o + 3 * stride);
        finish(relu, residual, q, out, o, stride, ROWS, SPECIES.length());
    }

    /**
     * Adds the residual to {@code rows} rows of {@code width} floats (a multiple of the vector length) that a block
     * kernel stored at {@code out[o + j * stride ...]} and applies the ReLU, while they are in the L1 cache. The block
     * kernels store their accumulators plainly and call this once per block instead of applying both per vector: with
     * both branches inlined into each of the 16 stores of {@link #quad}, C2's compilation of it reached its node limit
     * ({@code NodeCountInliningCutoff}) and left the later stores as calls that take a boxed vector, one allocation per
     * store (seen with {@code -XX:+PrintInlining}; docs/deployment.md, "Session 10: ResNet-56 at batch 32"). The
     * values and the order of the operations are those of the former per-vector store (residual added to the
     * rounded sum, then the ReLU), so the outputs are unchanged bit for bit. It takes no vector argument: a call that
     * C2 does not inline costs a call, never a boxed vector.
     */
    private static void finish(boolean relu, float[] residual, int q, float[] out, int o, int stride, int rows,
                               int width) {
        if (residual == null && !relu) {
            return;
        }
        int lanes = SPECIES.length();
        for (int j = 0; j < rows; j++) {
            for (int x = 0; x < width; x += lanes) {
                int at = o + j * stride + x;
                FloatVector v = FloatVector.fromArray(SPECIES, out, at);
                if (residual != null) {
                    v = v.add(FloatVector.fromArray(SPECIES, residual, q + j * stride + x));
                }
                if (relu) {
                    v = v.max(FloatVector.zero(SPECIES));
                }
                v.intoArray(out, at);
            }
        }
    }

    /**
     * Positions {@code [i, n)} of one row whose weights are {@code values[k * stride + shift]}: whole vectors,
     * then scalars. (Half-width vectors for the last positions, here and as a step of the block kernel, and
     * {@code Math.fma} for the scalars were tried: on the 4x4 and 2x2 planes C2's code for them ran 2-100x
     * slower from one JVM to the next, as with boxed vectors; see docs/deployment.md.)
     */
    private static void tail(float[] values, int stride, int shift, int[] offsets, int from, int to, float[] source,
                             int sourceBase, float bias, boolean relu, float[] residual, int residualBase,
                             float[] out, int outBase, int i, int n) {
        int lanes = SPECIES.length();
        int j = i;
        for (; j + lanes <= n; j += lanes) {
            FloatVector s = FloatVector.broadcast(SPECIES, bias);
            for (int k = from; k < to; k++) {
                s = FloatVector.fromArray(SPECIES, source, sourceBase + offsets[k] + j)
                        .fma(FloatVector.broadcast(SPECIES, values[k * stride + shift]), s);
            }
            s.intoArray(out, outBase + j);
            finish(relu, residual, residualBase + j, out, outBase + j, 0, 1, lanes);
        }
        for (; j < n; j++) {
            float s = bias;
            for (int k = from; k < to; k++) {
                s += values[k * stride + shift] * source[sourceBase + offsets[k] + j];
            }
            s += residual != null ? residual[residualBase + j] : 0.0f;
            out[outBase + j] = relu ? Math.max(s, 0.0f) : s;
        }
    }

    @Override
    public void row(float[] values, int[] offsets, int from, int to, float[] source, int sourceBase, float bias,
            float[] acc, int accBase, int n) {
        int lanes = SPECIES.length();
        int block = BLOCKS * lanes;
        FloatVector start = FloatVector.broadcast(SPECIES, bias);
        int i = 0;
        for (; i + block <= n; i += block) {
            FloatVector s0 = start;
            FloatVector s1 = start;
            FloatVector s2 = start;
            FloatVector s3 = start;
            for (int k = from; k < to; k++) {
                FloatVector w = FloatVector.broadcast(SPECIES, values[k]);
                int a = sourceBase + offsets[k] + i;
                s0 = FloatVector.fromArray(SPECIES, source, a).fma(w, s0);
                s1 = FloatVector.fromArray(SPECIES, source, a + lanes).fma(w, s1);
                s2 = FloatVector.fromArray(SPECIES, source, a + 2 * lanes).fma(w, s2);
                s3 = FloatVector.fromArray(SPECIES, source, a + 3 * lanes).fma(w, s3);
            }
            s0.intoArray(acc, accBase + i);
            s1.intoArray(acc, accBase + i + lanes);
            s2.intoArray(acc, accBase + i + 2 * lanes);
            s3.intoArray(acc, accBase + i + 3 * lanes);
        }
        for (; i + lanes <= n; i += lanes) {
            FloatVector s = start;
            for (int k = from; k < to; k++) {
                s = FloatVector.fromArray(SPECIES, source, sourceBase + offsets[k] + i)
                        .fma(FloatVector.broadcast(SPECIES, values[k]), s);
            }
            s.intoArray(acc, accBase + i);
        }
        for (; i < n; i++) {
            float s = bias;
            for (int k = from; k < to; k++) {
                s += values[k] * source[sourceBase + offsets[k] + i];
            }
            acc[accBase + i] = s;
        }
    }

    /**
     * Blocks of eight vectors, then single vectors, then scalars; each block's partial sums are loaded (or the
     * bias broadcast) once, every non-zero of the part adds into the registers, and the block is stored once.
     */
    @Override
    public void partial(float[] values, int[] offsets, int from, int to, float[] source, int sourceBase, float bias,
                        boolean first, boolean relu, float[] out, int o, int n) {
        int lanes = SPECIES.length();
        FloatVector start = FloatVector.broadcast(SPECIES, bias);
        int i = 0;
        for (; i + 8 * lanes <= n; i += 8 * lanes) {
            int p = o + i;
            FloatVector s0 = first ? start : FloatVector.fromArray(SPECIES, out, p);
            FloatVector s1 = first ? start : FloatVector.fromArray(SPECIES, out, p + lanes);
            FloatVector s2 = first ? start : FloatVector.fromArray(SPECIES, out, p + 2 * lanes);
            FloatVector s3 = first ? start : FloatVector.fromArray(SPECIES, out, p + 3 * lanes);
            FloatVector s4 = first ? start : FloatVector.fromArray(SPECIES, out, p + 4 * lanes);
            FloatVector s5 = first ? start : FloatVector.fromArray(SPECIES, out, p + 5 * lanes);
            FloatVector s6 = first ? start : FloatVector.fromArray(SPECIES, out, p + 6 * lanes);
            FloatVector s7 = first ? start : FloatVector.fromArray(SPECIES, out, p + 7 * lanes);
            for (int k = from; k < to; k++) {
                FloatVector w = FloatVector.broadcast(SPECIES, values[k]);
                int a = sourceBase + offsets[k] + i;
                s0 = FloatVector.fromArray(SPECIES, source, a).fma(w, s0);
                s1 = FloatVector.fromArray(SPECIES, source, a + lanes).fma(w, s1);
                s2 = FloatVector.fromArray(SPECIES, source, a + 2 * lanes).fma(w, s2);
                s3 = FloatVector.fromArray(SPECIES, source, a + 3 * lanes).fma(w, s3);
                s4 = FloatVector.fromArray(SPECIES, source, a + 4 * lanes).fma(w, s4);
                s5 = FloatVector.fromArray(SPECIES, source, a + 5 * lanes).fma(w, s5);
                s6 = FloatVector.fromArray(SPECIES, source, a + 6 * lanes).fma(w, s6);
                s7 = FloatVector.fromArray(SPECIES, source, a + 7 * lanes).fma(w, s7);
            }
            s0.intoArray(out, p);
            s1.intoArray(out, p + lanes);
            s2.intoArray(out, p + 2 * lanes);
            s3.intoArray(out, p + 3 * lanes);
            s4.intoArray(out, p + 4 * lanes);
            s5.intoArray(out, p + 5 * lanes);
            s6.intoArray(out, p + 6 * lanes);
            s7.intoArray(out, p + 7 * lanes);
            finish(relu, null, 0, out, p, 0, 1, 8 * lanes);
        }
        for (; i + lanes <= n; i += lanes) {
            FloatVector s = first ? start : FloatVector.fromArray(SPECIES, out, o + i);
            for (int k = from; k < to; k++) {
                s = FloatVector.fromArray(SPECIES, source, sourceBase + offsets[k] + i)
                        .fma(FloatVector.broadcast(SPECIES, values[k]), s);
            }
            s.intoArray(out, o + i);
            finish(relu, null, 0, out, o + i, 0, 1, lanes);
        }
        for (; i < n; i++) {
            float s = first ? bias : out[o + i];
            for (int k = from; k < to; k++) {
                s += values[k] * source[sourceBase + offsets[k] + i];
            }
            out[o + i] = relu ? Math.max(s, 0.0f) : s;
        }
    }
}
