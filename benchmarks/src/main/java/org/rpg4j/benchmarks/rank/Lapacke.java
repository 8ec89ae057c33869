package org.rpg4j.benchmarks.rank;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * LAPACKE routines that ND4J's {@code Lapack} interface does not expose, called on the OpenBLAS
 * that ND4J itself loads ({@code org.bytedeco.openblas}). Every array must be a fresh column-major
 * array (not a view): LAPACK reads from the buffer start and overwrites its inputs.
 */
final class Lapacke {

    private Lapacke() {
    }

    /**
     * Eigendecomposition of a symmetric matrix by divide and conquer ({@code dsyevd}/{@code ssyevd}).
     *
     * @param symmetric {@code [n, n]}, 'f', upper triangle read; overwritten with the eigenvectors (columns)
     * @param values {@code [n]} of the same type; receives the eigenvalues in ascending order
     * @throws ArithmeticException if LAPACK reports an error or no convergence
     */
    static void syevd(INDArray symmetric, INDArray values) {
        checkFresh(symmetric);
        int n = Math.toIntExact(symmetric.rows());
        int info = symmetric.dataType() == DataType.DOUBLE
                ? openblas.LAPACKE_dsyevd(openblas.LAPACK_COL_MAJOR, (byte) 'V', (byte) 'U', n, dp(symmetric), n,
                        dp(values))
                : openblas.LAPACKE_ssyevd(openblas.LAPACK_COL_MAJOR, (byte) 'V', (byte) 'U', n, fp(symmetric), n,
                        fp(values));
        check("syevd", info);
    }

    /**
     * Thin SVD by divide and conquer, float32 ({@code sgesdd}, {@code jobz = 'S'}).
     *
     * @param a {@code [m, n]} float, 'f'; destroyed
     * @param s {@code [min(m, n)]}, receives the singular values in descending order
     * @param u {@code [m, min(m, n)]} 'f', receives U
     * @param vt {@code [min(m, n), n]} 'f', receives V^T
     */
    static void gesddThin(INDArray a, INDArray s, INDArray u, INDArray vt) {
        checkFresh(a);
        int m = Math.toIntExact(a.rows());
        int n = Math.toIntExact(a.columns());
        int side = Math.min(m, n);
        int info = openblas.LAPACKE_sgesdd(openblas.LAPACK_COL_MAJOR, (byte) 'S', m, n, fp(a), m, fp(s), fp(u), m,
                fp(vt), side);
        check("sgesdd", info);
    }

    /**
     * Replaces {@code a} by the Q factor of its thin QR decomposition ({@code sgeqrf} + {@code sorgqr}).
     *
     * @param a {@code [m, n]} float, 'f', {@code m >= n}; overwritten with orthonormal columns
     */
    static void orthonormaliseInPlace(INDArray a) {
        checkFresh(a);
        int m = Math.toIntExact(a.rows());
        int n = Math.toIntExact(a.columns());
        try (FloatPointer tau = new FloatPointer(n)) {
            check("sgeqrf", openblas.LAPACKE_sgeqrf(openblas.LAPACK_COL_MAJOR, m, n, fp(a), m, tau));
            check("sorgqr", openblas.LAPACKE_sorgqr(openblas.LAPACK_COL_MAJOR, m, n, n, fp(a), m, tau));
        }
    }

    private static FloatPointer fp(INDArray a) {
        return (FloatPointer) a.data().addressPointer();
    }

    private static DoublePointer dp(INDArray a) {
        return (DoublePointer) a.data().addressPointer();
    }

    private static void checkFresh(INDArray a) {
        if (a.isView() || a.ordering() != 'f' || a.offset() != 0) {
            throw new IllegalArgumentException("LAPACK needs a fresh column-major array, got ordering "
                    + a.ordering() + ", view " + a.isView());
        }
    }

    private static void check(String routine, int info) {
        if (info != 0) {
            throw new ArithmeticException("LAPACK " + routine + " failed, info = " + info);
        }
    }
}
