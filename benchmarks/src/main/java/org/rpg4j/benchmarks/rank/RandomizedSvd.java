package org.rpg4j.benchmarks.rank;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Randomized SVD (Halko, Martinsson and Tropp, SIAM Review 53(2), 2011: algorithm 4.4, randomized
 * subspace iteration, then algorithm 5.1, direct SVD of the small factor).
 */
final class RandomizedSvd {

    private static final long SEED = 20231130L;

    private RandomizedSvd() {
    }

    /**
     * @param a float32 {@code [rows, cols]}; not modified
     * @param sketch sketch size {@code r} (capped at {@code min(rows, cols)})
     * @param powerIterations {@code q >= 0}
     * @return the top {@code r} squared singular values and their vectors on the smaller side
     */
    static Spectrum decompose(INDArray a, int sketch, int powerIterations) {
        boolean left = a.rows() <= a.columns();
        // work on the wide orientation w = [p, q], p <= q: the vectors we want have length p
        INDArray w = left ? a : a.transpose();
        int p = Math.toIntExact(w.rows());
        int q = Math.toIntExact(w.columns());
        int r = Math.min(sketch, p);
        Nd4j.getRandom().setSeed(SEED);
        INDArray omega = Nd4j.randn(DataType.FLOAT, q, r);
        INDArray y = gemm(w, omega, false); // [p, r]
        for (int i = 0; i < powerIterations; i++) {
            Lapacke.orthonormaliseInPlace(y);
            INDArray z = gemm(w, y, true); // w^T y: [q, r]
            Lapacke.orthonormaliseInPlace(z);
            y = gemm(w, z, false);
        }
        Lapacke.orthonormaliseInPlace(y); // Q: [p, r]
        // B = Q^T w: [r, q]; its left singular vectors W come from B B^T = W S^2 W^T (r x r, double)
        INDArray b = Nd4j.gemm(y, w, true, false).castTo(DataType.DOUBLE);
        INDArray small = SpectrumMethod.gram(b, true);
        INDArray values = Nd4j.create(DataType.DOUBLE, r);
        Lapacke.syevd(small, values);
        INDArray vectors = Nd4j.gemm(y, small.castTo(DataType.FLOAT), false, false); // U = Q W: [p, r]
        return new Spectrum(values.toDoubleVector(), vectors, left);
    }

    /** @return {@code w x} or {@code w^T x} as a fresh float 'f' array */
    private static INDArray gemm(INDArray w, INDArray x, boolean transposeW) {
        long rows = transposeW ? w.columns() : w.rows();
        INDArray out = Nd4j.create(DataType.FLOAT, new long[] {rows, x.columns()}, 'f');
        Nd4j.gemm(w, x, out, transposeW, false, 1.0, 0.0);
        return out;
    }
}
