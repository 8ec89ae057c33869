package org.rpg4j.benchmarks.models;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeded float32 weights that look like a layer in the middle of sparse training: seen as the
 * matrix {@code M = [out, rest]}, {@code M = N + L} with He-normal noise {@code N_ij ~ N(0, 2 /
 * rest)} and a structured part {@code L = G diag(d) H} of rank {@code r = max(1, min(out, rest) /
 * 4)} whose singular values decay like {@code d_i ~ (i + 1)^(-1/2)} and carry 2.5 times the noise
 * energy; then the {@code sparsity} fraction of smallest magnitudes is set to exactly 0 (a
 * global magnitude mask). The spectrum matters for the truncation rank {@code k} that the rank loss
 * picks (and so for randomized SVD and the width of the projection), not for the cost of a dense
 * LAPACK call.
 */
public final class SyntheticWeights {

    /** Energy of the structured part relative to the noise. */
    private static final double STRUCTURE = 2.5;

    private SyntheticWeights() {
    }

    /**
     * @param shape {@code [out, ...]}, rank {@code >= 2}, at most {@link Integer#MAX_VALUE} elements
     * @param sparsity fraction of entries set to 0, in [0, 1)
     * @param seed seed of every random draw
     * @return a new C-order float32 array of {@code shape}
     * @throws IllegalArgumentException if the shape has rank below 2 or {@code sparsity} is outside [0, 1)
     */
    public static INDArray of(long[] shape, double sparsity, long seed) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("shape must have rank >= 2, got " + Arrays.toString(shape));
        }
        if (!(sparsity >= 0 && sparsity < 1)) {
            throw new IllegalArgumentException("sparsity must be in [0, 1), got " + sparsity);
        }
        int rows = Math.toIntExact(shape[0]);
        int cols = Math.toIntExact(ModelShapes.length(shape) / shape[0]);
        int rank = Math.max(1, Math.min(rows, cols) / 4);
        SplittableRandom random = new SplittableRandom(seed);
        double sigma = Math.sqrt(2.0 / cols);
        INDArray g = gaussian(random, rows, rank, 1.0);
        INDArray h = gaussian(random, rank, cols, sigma);
        // term i has energy about rows * cols * sigma^2 * d_i^2, the noise rows * cols * sigma^2:
        // d_i^2 = STRUCTURE / (harmonic(rank) * (i + 1)) sums to STRUCTURE times the noise energy
        double harmonic = 0;
        for (int i = 1; i <= rank; i++) {
            harmonic += 1.0 / i;
        }
        INDArray d = Nd4j.create(DataType.FLOAT, rank, 1);
        for (int i = 0; i < rank; i++) {
            d.putScalar(i, 0, Math.sqrt(STRUCTURE / (harmonic * (i + 1))));
        }
        INDArray m = g.mmul(h.mulColumnVector(d));
        m.addi(gaussian(random, rows, cols, sigma));
        float[] values = m.dup('c').data().asFloat();
        zeroSmallest(values, sparsity);
        return Nd4j.create(values, shape.clone(), 'c');
    }

    /** @return the values of {@link #of} as a flat C-order float array */
    public static float[] flat(long[] shape, double sparsity, long seed) {
        return of(shape, sparsity, seed).data().asFloat();
    }

    private static INDArray gaussian(SplittableRandom random, int rows, int cols, double scale) {
        float[] v = new float[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (scale * random.nextGaussian());
        }
        return Nd4j.create(v, new long[] {rows, cols}, 'c');
    }

    /** Sets the {@code round(sparsity * n)} smallest magnitudes to 0 (ties by position, lowest first). */
    private static void zeroSmallest(float[] values, double sparsity) {
        int prune = (int) Math.round(sparsity * values.length);
        if (prune == 0) {
            return;
        }
        float[] magnitudes = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            magnitudes[i] = Math.abs(values[i]);
        }
        float[] sorted = magnitudes.clone();
        Arrays.sort(sorted);
        float threshold = sorted[prune - 1];
        int below = 0;
        for (float s : sorted) {
            below += s < threshold ? 1 : 0;
        }
        int tiesToPrune = prune - below;
        for (int i = 0; i < values.length; i++) {
            if (magnitudes[i] < threshold || (magnitudes[i] == threshold && tiesToPrune-- > 0)) {
                values[i] = 0f;
            }
        }
    }
}
