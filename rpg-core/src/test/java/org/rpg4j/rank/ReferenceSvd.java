package org.rpg4j.rank;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Test-only references, independent of the Gram route under test: a full LAPACK {@code dgesvd}
 * (with {@code U} and {@code V^T}), the rank loss at a given {@code k} built from it, the
 * reference's {@code find_k} written as the Python does it, and seeded test matrices.
 */
final class ReferenceSvd {

    /**
     * A full SVD {@code A = U diag(sigma) V^T}; {@code u} is {@code [m, m]}, {@code vt} {@code [n,
     * n]}, {@code sigma} descending.
     */
    record Svd(double[] sigma, INDArray u, INDArray vt) {}

    private ReferenceSvd() {}

    /** {@code weights} as a fresh double C-order {@code [out, rest]} matrix. */
    static INDArray matrixOf(INDArray weights) {
        long out = weights.size(0);
        return weights.castTo(DataType.DOUBLE).dup('c').reshape('c', out, weights.length() / out);
    }

    /** Full SVD of a double matrix by LAPACK dgesvd on a fresh column-major copy. */
    static Svd svd(INDArray matrix) {
        int m = matrix.rows();
        int n = matrix.columns();
        INDArray a = matrix.castTo(DataType.DOUBLE).dup('f');
        INDArray s = Nd4j.create(DataType.DOUBLE, Math.min(m, n));
        INDArray u = Nd4j.create(DataType.DOUBLE, new long[] {m, m}, 'f');
        INDArray vt = Nd4j.create(DataType.DOUBLE, new long[] {n, n}, 'f');
        Nd4j.getBlasWrapper().lapack().gesvd(a, s, u, vt);
        return new Svd(s.toDoubleVector(), u, vt);
    }

    /** {@code R = Mhat - U_k S_k V_k^T} from the full SVD of {@code Mhat}, {@code [out, rest]}. */
    static INDArray residualAtK(INDArray weights, int k) {
        INDArray mhat = matrixOf(weights);
        mhat.divi(mhat.norm2Number());
        if (k == 0) {
            return mhat;
        }
        Svd svd = svd(mhat);
        INDArray uk = svd.u().get(NDArrayIndex.all(), NDArrayIndex.interval(0, k)).dup('c');
        INDArray vtk = svd.vt().get(NDArrayIndex.interval(0, k), NDArrayIndex.all()).dup('c');
        for (int i = 0; i < k; i++) {
            uk.getColumn(i).muli(svd.sigma()[i]);
        }
        return mhat.subi(uk.mmul(vtk));
    }

    /** The reference loss {@code -||Mhat - U_k S_k V_k^T||_F^2} with {@code k} held fixed. */
    static double lossAtK(INDArray weights, int k) {
        double norm = residualAtK(weights, k).norm2Number().doubleValue();
        return -norm * norm;
    }

    /** {@code (2 / s) (-R + ||R||^2 Mhat)} from the full SVD, shaped {@code [out, rest]}. */
    static INDArray gradientAtK(INDArray weights, int k) {
        INDArray m = matrixOf(weights);
        double s = m.norm2Number().doubleValue();
        INDArray r = residualAtK(weights, k);
        double e = Math.pow(r.norm2Number().doubleValue(), 2);
        return r.mul(-2.0 / s).addi(m.div(s).muli(2.0 * e / s));
    }

    /**
     * {@code find_k} as {@code rank_kit.py} writes it: flip the squared singular values, cumulative
     * sum, subtract, absolute value, first argmin {@code j}; {@code k = len - j - 1}.
     */
    static int referenceK(double[] descendingSigma, double partialK) {
        int n = descendingSigma.length;
        double[] flipped = new double[n];
        for (int i = 0; i < n; i++) {
            flipped[i] = descendingSigma[n - 1 - i] * descendingSigma[n - 1 - i];
        }
        double[] cumulative = new double[n];
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            sum += flipped[i];
            cumulative[i] = Math.abs(sum - partialK);
        }
        int argmin = 0;
        for (int i = 1; i < n; i++) {
            if (cumulative[i] < cumulative[argmin]) {
                argmin = i;
            }
        }
        return n - argmin - 1;
    }

    /** Seeded N(0, scale^2) entries in a new double C-order array, a fraction {@code sparsity} 0. */
    static INDArray randomWeights(long seed, double scale, double sparsity, long... shape) {
        Random random = new Random(seed);
        long length = 1;
        for (long d : shape) {
            length *= d;
        }
        double[] values = new double[(int) length];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextDouble() < sparsity ? 0.0 : scale * random.nextGaussian();
        }
        return Nd4j.create(values, shape, 'c');
    }

    /**
     * A seeded {@code [rows, cols]} matrix {@code Q1 diag(sigma) Q2^T} with exactly the given
     * singular values ({@code sigma.length <= min(rows, cols)}, the rest 0), where {@code Q1} and
     * {@code Q2} are products of three Householder reflections: orthogonal by construction, no
     * decomposition involved.
     */
    static INDArray withSingularValues(long seed, int rows, int cols, double... sigma) {
        Random random = new Random(seed);
        double[][] left = householderProduct(random, rows);
        double[][] right = householderProduct(random, cols);
        double[] values = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double sum = 0.0;
                for (int r = 0; r < sigma.length; r++) {
                    sum += left[i][r] * sigma[r] * right[j][r];
                }
                values[i * cols + j] = sum;
            }
        }
        return Nd4j.create(values, new long[] {rows, cols}, 'c');
    }

    private static double[][] householderProduct(Random random, int n) {
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) {
            q[i][i] = 1.0;
        }
        for (int reflection = 0; reflection < 3; reflection++) {
            double[] v = new double[n];
            double norm2 = 0.0;
            for (int i = 0; i < n; i++) {
                v[i] = random.nextGaussian();
                norm2 += v[i] * v[i];
            }
            // q <- q (I - 2 v v^T / |v|^2)
            for (int i = 0; i < n; i++) {
                double dot = 0.0;
                for (int j = 0; j < n; j++) {
                    dot += q[i][j] * v[j];
                }
                for (int j = 0; j < n; j++) {
                    q[i][j] -= 2.0 * dot * v[j] / norm2;
                }
            }
        }
        return q;
    }
}
