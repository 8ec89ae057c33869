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
