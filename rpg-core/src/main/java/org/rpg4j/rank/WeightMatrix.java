package org.rpg4j.rank;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A validated weight tensor seen as the matrix {@code M = [out, rest]}, copied to a fresh
 * row-major double array and normalised to unit Frobenius norm.
 *
 * <p>The copy is what makes every public function of this package safe on views: ND4J's LAPACK
 * binding ignores view offsets and overwrites its input, and a permuted view has no row-major
 * layout to reshape in place.
 */
final class WeightMatrix {

    private final int rows;
    private final int cols;
    private final double frobeniusNorm;
    private final INDArray normalised;

    private WeightMatrix(int rows, int cols, double frobeniusNorm, INDArray normalised) {
        this.rows = rows;
        this.cols = cols;
        this.frobeniusNorm = frobeniusNorm;
        this.normalised = normalised;
    }

    /**
     * Validates {@code weights} and copies it, as {@code [out, rest]} in double precision, divided
     * by its Frobenius norm. {@code weights} is not modified.
     *
     * @param weights any floating-point tensor of rank {@code >= 2}, e.g. {@code [out, in, kh, kw]}
     * @return the normalised copy, or an all-zero marker ({@link #isZero()}) when every entry is 0
     * @throws IllegalArgumentException if {@code weights} is null, of rank below 2, empty, not of a
     *     floating-point type, too large for LAPACK's 32-bit dimensions, or holds NaN or infinity
     */
    static WeightMatrix of(INDArray weights) {
        checkShape(weights);
        long[] shape = weights.shape();
        int rows = (int) shape[0];
        int cols = (int) (weights.length() / shape[0]);
        // assign() copies by logical index and converts the type: any view or ordering works.
        INDArray m = Nd4j.createUninitialized(DataType.DOUBLE, shape, 'c')
                .assign(weights)
                .reshape('c', rows, cols);
        // Scale by max|m_ij| before the norm so that neither huge nor tiny weights overflow or
        // underflow in sum(m_ij^2). amax skips NaN, so NaN shows up in the norm (or sum) below.
        double maxAbs = m.amaxNumber().doubleValue();
        if (Double.isInfinite(maxAbs)) {
            throw notFinite(shape);
        }
        if (maxAbs == 0.0) {
            if (Double.isNaN(m.sumNumber().doubleValue())) {
                throw notFinite(shape);
            }
            return new WeightMatrix(rows, cols, 0.0, null);
        }
        m.divi(maxAbs);
        double scaledNorm = m.norm2Number().doubleValue();
        if (!Double.isFinite(scaledNorm)) {
            throw notFinite(shape);
        }
        m.divi(scaledNorm);
        return new WeightMatrix(rows, cols, maxAbs * scaledNorm, m);
    }

    private static void checkShape(INDArray weights) {
        if (weights == null) {
            throw new IllegalArgumentException("weights must not be null");
        }
        long[] shape = weights.shape();
        if (weights.rank() < 2) {
            throw new IllegalArgumentException(
                    "weights must have rank >= 2 (seen as [out, rest]), got rank "
                            + weights.rank()
                            + " with shape "
                            + Arrays.toString(shape));
        }
        if (weights.isEmpty() || weights.length() == 0) {
            throw new IllegalArgumentException(
                    "weights must not be empty, got shape " + Arrays.toString(shape));
        }
        if (!weights.dataType().isFPType()) {
            throw new IllegalArgumentException(
                    "weights must have a floating-point data type, got " + weights.dataType());
        }
        long cols = weights.length() / shape[0];
        if (shape[0] > Integer.MAX_VALUE || cols > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "weights seen as [out, rest] = ["
                            + shape[0]
                            + ", "
                            + cols
                            + "] must have both sides <= "
                            + Integer.MAX_VALUE
                            + " (LAPACK dimensions)");
        }
    }

    private static IllegalArgumentException notFinite(long[] shape) {
        return new IllegalArgumentException(
                "weights must be finite, found NaN or infinity in weights of shape "
                        + Arrays.toString(shape));
    }

    /** Rows of the matrix view: {@code out}, the size of the first axis. */
    int rows() {
        return rows;
    }

    /** Columns of the matrix view: {@code rest}, the product of all other axes. */
    int cols() {
        return cols;
    }

    /** {@code min(rows, cols)}: the number of singular values. */
    int minSide() {
        return Math.min(rows, cols);
    }

    /** True when every weight is 0; then {@link #normalised()} is null. */
    boolean isZero() {
        return normalised == null;
    }

    /** {@code s = ||M||_F}; 0 for an all-zero matrix. */
    double frobeniusNorm() {
        return frobeniusNorm;
    }

    /**
     * {@code Mhat = M / ||M||_F}, double, row-major {@code [rows, cols]}. The array is this
     * object's own copy, not shared with the weights; callers may overwrite it.
     */
    INDArray normalised() {
        return normalised;
    }
}
