package org.rpg4j.rank;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rank metrics of a weight tensor seen as the matrix {@code M = [out, rest]}: its singular
 * spectrum, its delta-rank and its numerical rank. Reports show these beside each layer's sparsity.
 *
 * <p>Singular values and the numerical rank come from LAPACK {@code dgesvd} without singular
 * vectors, on a fresh column-major double copy. Unlike the Gram route of the rank loss, this keeps
 * small singular values accurate to about {@code 1e-16 * sigma_1}, which a numerical rank with a
 * small tolerance needs. The delta-rank only compares tail energies {@code sum sigma_i^2} with
 * {@code delta^2}, which the Gram matrix's eigenvalues give to about {@code 1e-16} absolute; it
 * uses them ({@code dsyevd} without eigenvectors), because ND4J's {@code dgesvd} always forms the
 * full {@code U} and {@code V^T} and costs 10 to 100 times more on wide conv kernels.
 */
public final class RankMetrics {

    /** Default {@code delta} of {@link #deltaRank(INDArray, double)}: 10 % of the Frobenius norm. */
    public static final double DEFAULT_DELTA = 0.1;

    private RankMetrics() {}

    /**
     * The singular values of {@code weights} seen as {@code [out, rest]}.
     *
     * @param weights any floating-point tensor of rank {@code >= 2}; not modified
     * @return a new array of length {@code min(out, rest)}, descending, {@code >= 0}, in the units
     *     of the weights; all zeros for an all-zero tensor
     * @throws IllegalArgumentException if {@code weights} is null, of rank below 2, empty, not
     *     floating point or not finite
     */
    public static double[] singularValues(INDArray weights) {
        Spectrum spectrum = spectrumOf(weights);
        double[] values = spectrum.unitSigma();
        for (int i = 0; i < values.length; i++) {
            values[i] *= spectrum.frobeniusNorm();
        }
        return values;
    }

    /**
     * The delta-rank: the smallest {@code k} such that the best rank-{@code k} approximation of the
     * normalised matrix {@code Mhat = M / ||M||_F} is within {@code delta} of it in Frobenius norm,
     * i.e. {@code sqrt(sum_{i > k} sigma_i(Mhat)^2) <= delta}.
     *
     * @param weights any floating-point tensor of rank {@code >= 2}; not modified
     * @param delta the allowed relative Frobenius error, finite and {@code > 0} (see {@link
     *     #DEFAULT_DELTA}); {@code delta >= 1} always gives 0
     * @return {@code k} in {@code [0, min(out, rest)]}; 0 for an all-zero tensor
     * @throws IllegalArgumentException if {@code weights} is invalid as for {@link
     *     #singularValues(INDArray)}, or {@code delta} is not finite and positive
     */
    public static int deltaRank(INDArray weights, double delta) {
        if (!(delta > 0.0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("delta must be finite and > 0, got " + delta);
        }
        double[] ascendingEnergies = unitEnergies(weights);
        int n = ascendingEnergies.length;
        // tail[k] = sum_{i >= k} sigma_i^2 (descending order, 0-based): the energy dropped when
        // keeping the top k, summed from the smallest value up. tail[0] is the total, 1 up to rounding;
        // comparing against delta^2 * tail[0] makes delta >= 1 give 0 whatever that rounding.
        double[] tail = new double[n + 1];
        for (int i = n - 1; i >= 0; i--) {
            tail[i] = tail[i + 1] + ascendingEnergies[n - 1 - i];
        }
        double allowed = delta * delta * tail[0];
        int k = 0;
        while (tail[k] > allowed) {
            k++;
        }
        return k;
    }

    /**
     * The numerical rank: the number of singular values above {@code relativeTolerance * sigma_1}.
     *
     * @param weights any floating-point tensor of rank {@code >= 2}; not modified
     * @param relativeTolerance threshold relative to the largest singular value, finite and {@code
     *     >= 0}; values from about {@code 1e-14} up resolve reliably
     * @return the count in {@code [0, min(out, rest)]}; 0 for an all-zero tensor
     * @throws IllegalArgumentException if {@code weights} is invalid as for {@link
     *     #singularValues(INDArray)}, or {@code relativeTolerance} is negative, NaN or infinite
     */
    public static int numericalRank(INDArray weights, double relativeTolerance) {
        if (!(relativeTolerance >= 0.0) || Double.isInfinite(relativeTolerance)) {
            throw new IllegalArgumentException(
                    "relativeTolerance must be finite and >= 0, got " + relativeTolerance);
        }
        double[] sigma = spectrumOf(weights).unitSigma();
        double threshold = relativeTolerance * sigma[0];
        int rank = 0;
        while (rank < sigma.length && sigma[rank] > threshold) {
            rank++;
        }
        return rank;
    }

    /**
     * The numerical rank of every {@code [h, w]} slice of a stack, as {@link #numericalRank} counts
     * it, with one LAPACK {@code gesvd} per slice on reused double buffers (no per-slice
     * normalisation: the threshold is relative to each slice's own largest singular value).
     *
     * @param maps {@code [m, h, w]} floating point, finite; not modified
     * @param relativeTolerance threshold relative to each slice's {@code sigma_1}, finite and {@code >= 0}
     * @return {@code m} ranks, each in {@code [0, min(h, w)]}; 0 for an all-zero slice
     * @throws IllegalArgumentException if {@code maps} is not of rank 3 or the tolerance is invalid
     */
    public static int[] numericalRanks(INDArray maps, double relativeTolerance) {
        if (maps == null || maps.rank() != 3) {
            throw new IllegalArgumentException("maps must be [m, h, w], got "
                    + (maps == null ? "null" : java.util.Arrays.toString(maps.shape())));
        }
        if (!(relativeTolerance >= 0.0) || Double.isInfinite(relativeTolerance)) {
            throw new IllegalArgumentException("relativeTolerance must be finite and >= 0, got " + relativeTolerance);
        }
        MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
        try (outside) {
            int m = (int) maps.size(0);
            int h = (int) maps.size(1);
            int w = (int) maps.size(2);
            double[] all = maps.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            INDArray a = Nd4j.create(DataType.DOUBLE, new long[] {h, w}, 'f');
            INDArray values = Nd4j.create(DataType.DOUBLE, Math.min(h, w));
            double[] column = new double[h * w];
            int[] ranks = new int[m];
            for (int i = 0; i < m; i++) {
                ranks[i] = sliceRank(all, i * h * w, h, w, column, a, values, relativeTolerance);
            }
            return ranks;
        }
    }

    /** Copies one row-major slice into the column-major buffer {@code a} and counts its singular values. */
    private static int sliceRank(double[] all, int offset, int h, int w, double[] column, INDArray a, INDArray values,
                                 double relativeTolerance) {
        boolean zero = true;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = all[offset + y * w + x];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("maps must be finite, got " + v);
                }
                zero &= v == 0.0;
                column[x * h + y] = v;
            }
        }
        if (zero) {
            return 0;
        }
        // dgesvd overwrites its input: refill the buffer for every slice
        a.data().setData(column);
        Nd4j.getBlasWrapper().lapack().gesvd(a, values, null, null);
        double[] sigma = values.toDoubleVector();
        double threshold = relativeTolerance * sigma[0];
        int rank = 0;
        while (rank < sigma.length && sigma[rank] > threshold) {
            rank++;
        }
        return rank;
    }

    /**
     * The singular values of {@code Mhat = M / ||M||_F} (descending; zeros for an all-zero matrix)
     * and {@code ||M||_F}. Temporaries are allocated outside any workspace the caller has open.
     */
    private static Spectrum spectrumOf(INDArray weights) {
        MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
        try (outside) {
            WeightMatrix matrix = WeightMatrix.of(weights);
            if (matrix.isZero()) {
                return new Spectrum(0.0, new double[matrix.minSide()]);
            }
            // dgesvd overwrites its input and ignores view offsets: hand it a fresh column-major copy.
            INDArray a = matrix.normalised().dup('f');
            INDArray values = Nd4j.create(DataType.DOUBLE, matrix.minSide());
            Nd4j.getBlasWrapper().lapack().gesvd(a, values, null, null);
            return new Spectrum(matrix.frobeniusNorm(), values.toDoubleVector());
        }
    }

    /** Squared singular values of the normalised matrix, ascending; all zeros for a zero tensor. */
    private static double[] unitEnergies(INDArray weights) {
        MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
        try (outside) {
            WeightMatrix matrix = WeightMatrix.of(weights);
            return matrix.isZero() ? new double[matrix.minSide()] : GramEigen.energies(matrix.normalised());
        }
    }

    private record Spectrum(double frobeniusNorm, double[] unitSigma) {}
}
