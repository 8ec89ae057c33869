package org.rpg4j.benchmarks.rank;

import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_FDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F32;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ways to get what the rank loss needs from a float32 weight matrix {@code A = [rows, cols]}:
 * every squared singular value (to choose {@code k} by energy) and the singular vectors of the
 * smaller side (to project). Each method copies what it needs and leaves {@code A} alone.
 */
public enum SpectrumMethod {
    /** ND4J {@code lapack().gesvd} (LAPACK sgesvd) with U and V^T: ND4J only offers the full square factors. */
    GESVD_FULL {
        @Override
        public Spectrum decompose(INDArray a, int expectedK) {
            int rows = rows(a);
            int cols = cols(a);
            INDArray s = Nd4j.create(DataType.FLOAT, Math.min(rows, cols));
            INDArray u = Nd4j.create(DataType.FLOAT, new long[] {rows, rows}, 'f');
            INDArray vt = Nd4j.create(DataType.FLOAT, new long[] {cols, cols}, 'f');
            Nd4j.getBlasWrapper().lapack().gesvd(a.dup('f'), s, u, vt);
            boolean left = rows <= cols;
            return new Spectrum(squares(s), left ? u : vt.transpose(), left);
        }
    },
    /** ND4J {@code lapack().gesvd} values only: enough to choose k, not to compute the gradient. */
    GESVD_VALUES {
        @Override
        public Spectrum decompose(INDArray a, int expectedK) {
            INDArray s = Nd4j.create(DataType.FLOAT, Math.min(rows(a), cols(a)));
            Nd4j.getBlasWrapper().lapack().gesvd(a.dup('f'), s, null, null);
            return new Spectrum(squares(s), null, rows(a) <= cols(a));
        }
    },
    /** LAPACK sgesdd (divide and conquer), thin U and V^T, float32, through OpenBLAS directly. */
    GESDD_THIN {
        @Override
        public Spectrum decompose(INDArray a, int expectedK) {
            int rows = rows(a);
            int cols = cols(a);
            int side = Math.min(rows, cols);
            INDArray s = Nd4j.create(DataType.FLOAT, side);
            INDArray u = Nd4j.create(DataType.FLOAT, new long[] {rows, side}, 'f');
            INDArray vt = Nd4j.create(DataType.FLOAT, new long[] {side, cols}, 'f');
            Lapacke.gesddThin(a.dup('f'), s, u, vt);
            boolean left = rows <= cols;
            return new Spectrum(squares(s), left ? u : vt.transpose(), left);
        }
    },
    /**
     * Double copy, Gram matrix of the smaller side by gemm, LAPACK dsyev (QR iteration) through
     * ND4J's {@code Lapack}: rpg-core's first route.
     */
    GRAM_SYEV {
        @Override
        public Spectrum decompose(INDArray a, int expectedK) {
            boolean left = rows(a) <= cols(a);
            INDArray gram = gram(a.castTo(DataType.DOUBLE), left);
            INDArray values = Nd4j.create(DataType.DOUBLE, gram.rows());
            int status = Nd4j.getBlasWrapper().lapack().syev('V', 'U', gram, values);
            if (status != 0) {
                throw new ArithmeticException("dsyev failed, info = " + status);
            }
            return new Spectrum(values.toDoubleVector(), gram, left);
        }
    },
    /**
     * As {@link #GRAM_SYEV} with LAPACK dsyevd (divide and conquer) through OpenBLAS directly:
     * rpg-core's route ({@code org.rpg4j.rank.GramEigen}).
     */
    GRAM_SYEVD {
        @Override
        public Spectrum decompose(INDArray a, int expectedK) {
            return gramSyevd(a.castTo(DataType.DOUBLE));
        }
    },
    /** Gram matrix and LAPACK ssyevd in float32 throughout (squaring doubles the relative error). */
    GRAM_SSYEVD_F32 {
        @Override
        public Spectrum decompose(INDArray a, int expectedK) {
            return gramSyevd(a);
        }
    },
    /**
     * Randomized SVD (Halko, Martinsson and Tropp 2011, algorithms 4.4 and 5.1) of rank {@code r =
     * expectedK + 10}, 2 power iterations with QR re-orthonormalisation, float32 gemms, the small
     * {@code r x r} problem in double. Gives the top {@code r} values only: {@code k} must come from
     * the total energy minus the top values.
     */
    RANDOMIZED_Q2 {
        @Override
        public Spectrum decompose(INDArray a, int expectedK) {
            return RandomizedSvd.decompose(a, expectedK + 10, 2);
        }
    },
    /** EJML 0.43 float SVD (bidiagonal QR), compact, vectors of the smaller side only; copies in and out. */
    EJML_SVD_F32 {
        @Override
        public Spectrum decompose(INDArray a, int expectedK) {
            int rows = rows(a);
            int cols = cols(a);
            boolean left = rows <= cols;
            FMatrixRMaj m = FMatrixRMaj.wrap(rows, cols, a.dup('c').data().asFloat());
            SingularValueDecomposition_F32<FMatrixRMaj> svd = DecompositionFactory_FDRM.svd(rows, cols, left, !left,
                    true);
            if (!svd.decompose(m)) {
                throw new ArithmeticException("EJML SVD did not converge");
            }
            FMatrixRMaj vectors = left ? svd.getU(null, false) : svd.getV(null, false);
            float[] sigma = svd.getSingularValues();
            double[] energies = new double[svd.numberOfSingularValues()];
            for (int i = 0; i < energies.length; i++) {
                energies[i] = (double) sigma[i] * sigma[i];
            }
            INDArray v = Nd4j.create(vectors.data, new long[] {vectors.numRows, vectors.numCols}, 'c');
            return new Spectrum(energies, v, left);
        }
    },
    /** EJML 0.43 double symmetric eigendecomposition (tridiagonal QR) of the Gram matrix; copies in and out. */
    EJML_GRAM_EIG_F64 {
        @Override
        public Spectrum decompose(INDArray a, int expectedK) {
            int rows = rows(a);
            int cols = cols(a);
            boolean left = rows <= cols;
            DMatrixRMaj m = DMatrixRMaj.wrap(rows, cols, a.dup('c').data().asDouble());
            int n = Math.min(rows, cols);
            DMatrixRMaj gram = new DMatrixRMaj(n, n);
            if (left) {
                CommonOps_DDRM.multTransB(m, m, gram);
            } else {
                CommonOps_DDRM.multTransA(m, m, gram);
            }
            EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
            if (!eig.decompose(gram)) {
                throw new ArithmeticException("EJML symmetric eigendecomposition did not converge");
            }
            double[] energies = new double[n];
            double[] columns = new double[n * n];
            for (int j = 0; j < n; j++) {
                energies[j] = eig.getEigenvalue(j).getReal();
                DMatrixRMaj vector = eig.getEigenVector(j);
                System.arraycopy(vector.data, 0, columns, j * n, n);
            }
            return new Spectrum(energies, Nd4j.create(columns, new long[] {n, n}, 'f'), left);
        }
    };

    /**
     * @param a float32 {@code [rows, cols]}, C order; not modified
     * @param expectedK the truncation rank expected from the last update (only {@link #RANDOMIZED_Q2}
     *     uses it, as its sketch size)
     * @return the energies and vectors
     * @throws ArithmeticException if the solver fails
     */
    public abstract Spectrum decompose(INDArray a, int expectedK);

    /** @return {@code a a^T} ({@code left}) or {@code a^T a} as a fresh 'f' array of {@code a}'s type */
    static INDArray gram(INDArray a, boolean left) {
        int n = Math.min(rows(a), cols(a));
        INDArray gram = Nd4j.create(a.dataType(), new long[] {n, n}, 'f');
        Nd4j.gemm(a, a, gram, !left, left, 1.0, 0.0);
        return gram;
    }

    /** Gram matrix of the smaller side and LAPACK {@code ?syevd}, in {@code a}'s floating-point type. */
    private static Spectrum gramSyevd(INDArray a) {
        boolean left = rows(a) <= cols(a);
        INDArray gram = gram(a, left);
        INDArray values = Nd4j.create(a.dataType(), gram.rows());
        Lapacke.syevd(gram, values);
        return new Spectrum(values.toDoubleVector(), gram, left);
    }

    private static double[] squares(INDArray s) {
        double[] v = s.toDoubleVector();
        for (int i = 0; i < v.length; i++) {
            v[i] *= v[i];
        }
        return v;
    }

    static int rows(INDArray a) {
        return Math.toIntExact(a.rows());
    }

    static int cols(INDArray a) {
        return Math.toIntExact(a.columns());
    }
}
