package org.rpg4j.rank;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.rpg4j.tensor.HostAccess;

/**
 * Eigendecomposition of the Gram matrix of the smaller side of a matrix {@code A = [rows, cols]}:
 * {@code A A^T} when {@code rows <= cols} (eigenvectors = left singular vectors {@code U}), else
 * {@code A^T A} (eigenvectors = right singular vectors {@code V}). The eigenvalues are the squared
 * singular values {@code sigma_i^2}.
 *
 * <p>Why not an SVD: LAPACK {@code gesvd} as ND4J exposes it always builds the full {@code U} and
 * {@code V^T} (a 4608 x 4608 {@code V^T} for a 512 x 4608 kernel). The Gram matrix costs one
 * product ({@code dsyrk}, the upper triangle only, on the {@code dsyevd} route; a gemm otherwise)
 * and is at most {@code min(rows, cols)} square; {@code dsyev} then gives all eigenvalues (needed
 * to choose {@code k}) and the eigenvectors. Squaring costs relative accuracy only on singular
 * values below about {@code 1e-7 * sigma_1} (an eigenvalue's absolute error is about {@code 1e-16
 * * sigma_1^2}). The rank loss needs energies {@code sigma^2} and the projector onto a block of
 * eigenvectors, both of which keep that absolute accuracy; it agrees with a full SVD to about
 * {@code 1e-15} in the tests.
 *
 * <p>The symmetric eigensolver is LAPACK {@code dsyevd} (divide and conquer), called on the
 * OpenBLAS that ND4J loads: for the Gram matrices of wide conv layers it is 2 to 4 times faster than
 * {@code dsyev} (QR iteration, the only one ND4J's {@code Lapack} interface offers), because it
 * forms the eigenvectors with matrix-matrix products. Both give the same eigenvalues and spectral
 * projectors to rounding; {@code GramEigenSolverTest} checks that {@code k} and the loss agree to
 * {@code 1e-10}. {@code dsyevd} needs the arrays' host pointers, so it is the default only where
 * {@link HostAccess#openBlasLapack()} allows it (ND4J's CPU backend); elsewhere ND4J's generic
 * {@code dsyev} runs ({@link #defaultSolver()}).
 */
final class GramEigen {

    /** The LAPACK symmetric eigensolver. */
    enum Solver {
        /** {@code dsyev}: tridiagonal QR iteration (through ND4J's {@code Lapack}). */
        QR_ITERATION,
        /** {@code dsyevd}: tridiagonal divide and conquer (through OpenBLAS's LAPACKE). */
        DIVIDE_AND_CONQUER
    }

    private final boolean leftSide;
    private final double[] eigenvalues;
    private final INDArray eigenvectors;

    private GramEigen(boolean leftSide, double[] eigenvalues, INDArray eigenvectors) {
        this.leftSide = leftSide;
        this.eigenvalues = eigenvalues;
        this.eigenvectors = eigenvectors;
    }

    /**
     * @return {@link Solver#DIVIDE_AND_CONQUER} where {@link HostAccess#openBlasLapack()} allows it,
     *     else {@link Solver#QR_ITERATION} (ND4J's generic {@code Lapack}, any backend)
     */
    static Solver defaultSolver() {
        return HostAccess.openBlasLapack() ? Solver.DIVIDE_AND_CONQUER : Solver.QR_ITERATION;
    }

    /**
     * Decomposes the Gram matrix of the smaller side of {@code matrix} with the {@link
     * #defaultSolver()}.
     *
     * @param matrix double {@code [rows, cols]}, not modified
     * @return eigenvalues in ascending order, clamped at 0, and their eigenvectors
     * @throws ArithmeticException if the LAPACK routine does not converge
     */
    static GramEigen of(INDArray matrix) {
        return of(matrix, defaultSolver());
    }

    /**
     * Decomposes the Gram matrix of the smaller side of {@code matrix} with the given solver.
     *
     * @param matrix double {@code [rows, cols]}, not modified
     * @param solver the LAPACK routine
     * @return eigenvalues in ascending order, clamped at 0, and their eigenvectors
     * @throws ArithmeticException if the LAPACK routine does not converge
     */
    static GramEigen of(INDArray matrix, Solver solver) {
        boolean leftSide = matrix.rows() <= matrix.columns();
        INDArray gram = gramOfSmallerSide(matrix, solver);
        double[] ascending = decompose(gram, solver, true);
        return new GramEigen(leftSide, ascending, gram);
    }

    /**
     * The squared singular values of {@code matrix} without eigenvectors ({@code dsyevd} with
     * {@code jobz = 'N'}; {@code dsyev} where {@link #defaultSolver()} says so): the energies a
     * delta-rank needs, at a fraction of the cost of {@link #of(INDArray)}.
     *
     * @param matrix double {@code [rows, cols]}, not modified
     * @return {@code min(rows, cols)} values {@code sigma_i^2}, ascending, clamped at 0
     * @throws ArithmeticException if the LAPACK routine does not converge
     */
    static double[] energies(INDArray matrix) {
        Solver solver = defaultSolver();
        return decompose(gramOfSmallerSide(matrix, solver), solver, false);
    }

    /**
     * @return a fresh column-major {@code [n, n]} Gram matrix of the smaller side, {@code n =
     *     min(rows, cols)}: LAPACK reads it from offset 0 and overwrites it with the eigenvectors,
     *     one per column. For {@code dsyevd}, which reads only the upper triangle, only that
     *     triangle is formed ({@code dsyrk} on the array's host pointers, when {@code matrix} is a
     *     fresh C-order array); otherwise the whole product.
     */
    private static INDArray gramOfSmallerSide(INDArray matrix, Solver solver) {
        boolean leftSide = matrix.rows() <= matrix.columns();
        int n = Math.min(matrix.rows(), matrix.columns());
        INDArray gram = Nd4j.create(DataType.DOUBLE, new long[] {n, n}, 'f');
        boolean freshRowMajor = matrix.ordering() == 'c' && !matrix.isView() && matrix.offset() == 0
                && HostAccess.isCContiguous(matrix.shape(), matrix.stride());
        if (solver == Solver.DIVIDE_AND_CONQUER && freshRowMajor) {
            HostLapack.dsyrkUpper(matrix, leftSide, gram);
        } else {
            Nd4j.gemm(matrix, matrix, gram, !leftSide, leftSide, 1.0, 0.0);
        }
        return gram;
    }

    /** Eigenvalues of {@code gram} ascending and clamped at 0; eigenvectors into {@code gram} if asked. */
    private static double[] decompose(INDArray gram, Solver solver, boolean withVectors) {
        int n = gram.rows();
        byte jobz = (byte) (withVectors ? 'V' : 'N');
        INDArray values = Nd4j.create(DataType.DOUBLE, n);
        int status = solver == Solver.QR_ITERATION
                ? Nd4j.getBlasWrapper().lapack().syev((char) jobz, 'U', gram, values)
                : HostLapack.dsyevd(jobz, gram, values);
        if (status != 0) {
            throw new ArithmeticException(
                    "LAPACK "
                            + (solver == Solver.QR_ITERATION ? "dsyev" : "dsyevd")
                            + " failed on a "
                            + n
                            + " x "
                            + n
                            + " Gram matrix, info = "
                            + status);
        }
        double[] ascending = values.toDoubleVector();
        // sigma_i^2 >= 0; rounding can leave values of order -1e-17 for a unit-norm matrix.
        for (int i = 0; i < n; i++) {
            ascending[i] = Math.max(0.0, ascending[i]);
        }
        return ascending;
    }

    /**
     * True when the eigenvectors live on the row side ({@code U}, length {@code rows}), false when
     * they live on the column side ({@code V}, length {@code cols}).
     */
    boolean leftSide() {
        return leftSide;
    }

    /** {@code min(rows, cols)}. */
    int size() {
        return eigenvalues.length;
    }

    /** Squared singular values, ascending, {@code >= 0}. Shared, not copied. */
    double[] eigenvalues() {
        return eigenvalues;
    }

    /**
     * The eigenvectors of the eigenvalues {@code [from, to)} in ascending order, as the columns of
     * a {@code [n, to - from]} view.
     */
    INDArray eigenvectors(int from, int to) {
        return eigenvectors.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to));
    }
}
