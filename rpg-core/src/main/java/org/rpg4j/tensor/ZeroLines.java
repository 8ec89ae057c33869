package org.rpg4j.tensor;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.CountNonZero;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The all-zero rows and columns of a weight tensor seen as the matrix {@code [out, rest]} (first
 * axis against all other axes flattened in C order: a convolution {@code [out, in, kh, kw]} becomes
 * {@code [out, in * kh * kw]}). A zero row is an output channel (or unit) pruned away completely; a
 * zero column is an input channel at one kernel position (or an input unit) that no output uses:
 * the structure RPG's rank loss is meant to avoid.
 *
 * @param rows rows that are exactly 0.0 everywhere, in {@code [0, out]}
 * @param columns columns that are exactly 0.0 everywhere, in {@code [0, rest]}
 */
public record ZeroLines(long rows, long columns) {
    /**
     * Validates the counts.
     *
     * @param rows number of all-zero rows, {@code >= 0}
     * @param columns number of all-zero columns, {@code >= 0}
     * @throws IllegalArgumentException if a count is negative
     */
    public ZeroLines {
        if (rows < 0 || columns < 0) {
            throw new IllegalArgumentException("rows and columns must be >= 0, got " + rows + " and " + columns);
        }
    }

    /**
     * Counts exactly (no tolerance: {@code -0.0} is zero, {@code 1e-30} is not).
     *
     * @param outputFirst a tensor of rank {@code >= 2} with output channels on axis 0 ({@code [out, in, kh,
     *     kw]}, {@code [out, in]}; a dense weight stored {@code [in, out]} is passed transposed), any
     *     storage order or view; not modified
     * @return its zero rows and columns
     * @throws IllegalArgumentException if {@code outputFirst} is null, of rank below 2 or empty
     */
    public static ZeroLines of(INDArray outputFirst) {
        if (outputFirst == null || outputFirst.rank() < 2 || outputFirst.isEmpty()) {
            throw new IllegalArgumentException("outputFirst must be a non-empty tensor of rank >= 2, got "
                    + (outputFirst == null ? "null" : outputFirst.shapeInfoToString()));
        }
        long out = outputFirst.size(0);
        long rest = outputFirst.length() / out;
        INDArray matrix = outputFirst.reshape('c', out, rest);
        // a line is all zero exactly when its largest magnitude is exactly 0.0
        return new ZeroLines(out - nonZeros(matrix.amax(1)), rest - nonZeros(matrix.amax(0)));
    }

    private static long nonZeros(INDArray array) {
        return Nd4j.getExecutioner().exec(new CountNonZero(array)).getLong(0);
    }
}
