package org.rpg4j.rank;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * LAPACK {@code dsyevd} called on the OpenBLAS that ND4J's CPU backend loads, through the arrays'
 * host pointers. Kept apart from {@link GramEigen} so that the OpenBLAS classes are loaded only
 * when {@link org.rpg4j.tensor.HostAccess#openBlasLapack()} says they are present and usable.
 */
final class HostLapack {
    private HostLapack() {}

    /**
     * @param jobz {@code 'V'} for eigenvalues and eigenvectors, {@code 'N'} for eigenvalues only
     * @param gram a fresh column-major double {@code [n, n]} symmetric matrix (upper triangle read);
     *     overwritten with the eigenvectors if {@code jobz} is {@code 'V'}
     * @param values a fresh double vector of length {@code n}; receives the eigenvalues, ascending
     * @return LAPACK's {@code info}: 0 on success
     */
    static int dsyevd(byte jobz, INDArray gram, INDArray values) {
        int n = gram.rows();
        return openblas.LAPACKE_dsyevd(
                openblas.LAPACK_COL_MAJOR,
                jobz,
                (byte) 'U',
                n,
                (DoublePointer) gram.data().addressPointer(),
                n,
                (DoublePointer) values.data().addressPointer());
    }

    /**
     * The upper triangle of the Gram matrix of the smaller side of a row-major matrix, with BLAS
     * {@code dsyrk} (half the flops of a general product; LAPACK reads only that triangle).
     *
     * @param matrix a fresh row-major (C-order, offset 0) double {@code [rows, cols]} matrix; not
     *     modified
     * @param leftSide true for {@code A A^T} ({@code [rows, rows]}), false for {@code A^T A}
     * @param gram a fresh column-major double {@code [n, n]} matrix, {@code n} the side chosen;
     *     its upper triangle receives the product, its strict lower triangle is not written
     */
    static void dsyrkUpper(INDArray matrix, boolean leftSide, INDArray gram) {
        int rows = matrix.rows();
        int cols = matrix.columns();
        // The row-major [rows, cols] buffer is the column-major [cols, rows] matrix B = A^T (lda = cols):
        // A A^T = B^T B (Trans), A^T A = B B^T (NoTrans).
        openblas.cblas_dsyrk(
                openblas.CblasColMajor,
                openblas.CblasUpper,
                leftSide ? openblas.CblasTrans : openblas.CblasNoTrans,
                leftSide ? rows : cols,
                leftSide ? cols : rows,
                1.0,
                (DoublePointer) matrix.data().addressPointer(),
                cols,
                0.0,
                (DoublePointer) gram.data().addressPointer(),
                gram.rows());
    }
}
