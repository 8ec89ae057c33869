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
}
