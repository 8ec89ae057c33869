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
 * this is 3-4x faster single-threaded on AVX2 (measured, see docs/deployment.md).
 */
final class VectorRows implements RowKernel {

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
                store(s0, relu, residual, q + i, out, o + i);
                store(s1, relu, residual, q + i + lanes, out, o + i + lanes);
                store(s2, relu, residual, q + i + 2 * lanes, out, o + i + 2 * lanes);
                store(s3, relu, residual, q + i + 3 * lanes, out, o + i + 3 * lanes);
                store(s4, relu, residual, q + i + 4 * lanes, out, o + i + 4 * lanes);
                store(s5, relu, residual, q + i + 5 * lanes, out, o + i + 5 * lanes);
                store(s6, relu, residual, q + i + 6 * lanes, out, o + i + 6 * lanes);
                store(s7, relu, residual, q + i + 7 * lanes, out, o + i + 7 * lanes);
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
                store(s0, relu, residual, q + i, out, o + i);
                store(s1, relu, residual, q + i + lanes, out, o + i + lanes);
                store(s2, relu, residual, q + i + 2 * lanes, out, o + i + 2 * lanes);
                store(s3, relu, residual, q + i + 3 * lanes, out, o + i + 3 * lanes);
            }
            tail(values, offsets, from, to, source, sourceBase, bias[r], relu, residual, q, out, o, i, n);
        }
    }

    /** {@code out[o..] = act(s + residual[q..])}, one vector. */
    private static void store(FloatVector s, boolean relu, float[] residual, int q, float[] out, int o) {
        FloatVector v = residual == null ? s : s.add(FloatVector.fromArray(SPECIES, residual, q));
        (relu ? v.max(FloatVector.zero(SPECIES)) : v).intoArray(out, o);
    }

    /** Positions {@code [i, n)} of one row: single vectors, then scalars. */
    private static void tail(float[] values, int[] offsets, int from, int to, float[] source, int sourceBase,
                             float bias, boolean relu, float[] residual, int residualBase, float[] out, int outBase,
                             int i, int n) {
        int lanes = SPECIES.length();
        int j = i;
        for (; j + lanes <= n; j += lanes) {
            FloatVector s = FloatVector.broadcast(SPECIES, bias);
            for (int k = from; k < to; k++) {
                s = FloatVector.fromArray(SPECIES, source, sourceBase + offsets[k] + j)
                        .fma(FloatVector.broadcast(SPECIES, values[k]), s);
            }
            if (residual != null) {
                s = s.add(FloatVector.fromArray(SPECIES, residual, residualBase + j));
            }
            (relu ? s.max(FloatVector.zero(SPECIES)) : s).intoArray(out, outBase + j);
        }
        for (; j < n; j++) {
            float s = bias;
            for (int k = from; k < to; k++) {
                s += values[k] * source[sourceBase + offsets[k] + j];
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
}
