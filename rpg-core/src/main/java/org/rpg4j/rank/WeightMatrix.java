package org.rpg4j.rank;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.tensor.MaskArrays;

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
    private final double[] values;
    private final INDArray normalised;

    private WeightMatrix(int rows, int cols, double frobeniusNorm, double[] values, INDArray normalised) {
        this.rows = rows;
        this.cols = cols;
        this.frobeniusNorm = frobeniusNorm;
        this.values = values;
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
        double[] m = values(weights);
        // Scale by max|m_ij| before the norm so that neither huge nor tiny weights overflow or
        // underflow in sum(m_ij^2). Plain loops in a fixed order: the result does not depend on
        // how many threads a native reduction would use.
        double maxAbs = 0.0;
        for (double v : m) {
            if (!Double.isFinite(v)) {
                throw notFinite(shape);
            }
            double a = Math.abs(v);
            maxAbs = a > maxAbs ? a : maxAbs;
        }
        if (maxAbs == 0.0) {
            return new WeightMatrix(rows, cols, 0.0, null, null);
        }
        double scaledNorm = Math.sqrt(divideAndSumSquares(m, maxAbs));
        for (int i = 0; i < m.length; i++) {
            m[i] /= scaledNorm;
        }
        INDArray normalised = Nd4j.create(m, new long[] {rows, cols}, 'c');
        return new WeightMatrix(rows, cols, maxAbs * scaledNorm, m, normalised);
    }

    /**
     * Divides every {@code v_i} by {@code divisor} and returns {@code sum(v_i^2)} of the quotients,
     * in one pass, summed exactly as {@link #sumOfSquares(double[])} sums.
     */
    private static double divideAndSumSquares(double[] v, double divisor) {
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        int i = 0;
        for (; i + 3 < v.length; i += 4) {
            double a = v[i] / divisor;
            double b = v[i + 1] / divisor;
            double c = v[i + 2] / divisor;
            double d = v[i + 3] / divisor;
            v[i] = a;
            v[i + 1] = b;
            v[i + 2] = c;
            v[i + 3] = d;
            s0 += a * a;
            s1 += b * b;
            s2 += c * c;
            s3 += d * d;
        }
        for (; i < v.length; i++) {
            v[i] /= divisor;
            s0 += v[i] * v[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * {@code sum(v_i^2)} with four partial sums in a fixed order (faster than one chain of
     * dependent additions, and the same result on every call).
     */
    static double sumOfSquares(double[] v) {
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        int i = 0;
        for (; i + 3 < v.length; i += 4) {
            s0 += v[i] * v[i];
            s1 += v[i + 1] * v[i + 1];
            s2 += v[i + 2] * v[i + 2];
            s3 += v[i + 3] * v[i + 3];
        }
        for (; i < v.length; i++) {
            s0 += v[i] * v[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * The weights as doubles in the C-order logical flattening of their shape, whatever their
     * layout: float arrays through {@link MaskArrays#values(INDArray)} (one bulk copy on the CPU
     * backend), other types by an ND4J copy to a C-order double array.
     */
    private static double[] values(INDArray weights) {
        int n = (int) weights.length();
        if (weights.dataType() == DataType.FLOAT) {
            float[] floats = MaskArrays.values(weights);
            double[] m = new double[n];
            for (int i = 0; i < n; i++) {
                m[i] = floats[i];
            }
            return m;
        }
        // assign() copies by logical index and converts the type: any view or ordering works.
        double[] data = Nd4j.createUninitialized(DataType.DOUBLE, weights.shape(), 'c').assign(weights).data()
                .asDouble();
        return data.length == n ? data : Arrays.copyOf(data, n);
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

    /**
     * The entries of {@link #normalised()} in row-major order, as a Java array (a separate copy of
     * the same values; callers may read it while LAPACK overwrites copies of the array). Null for
     * an all-zero matrix.
     */
    double[] normalisedValues() {
        return values;
    }
}
