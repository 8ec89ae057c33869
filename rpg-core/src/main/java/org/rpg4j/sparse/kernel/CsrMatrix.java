package org.rpg4j.sparse.kernel;

import java.util.Arrays;

/**
 * An immutable float32 matrix {@code [rows, cols]} in compressed sparse row form: the non-zeros of
 * row {@code r} are {@code values[rowStart[r] .. rowStart[r + 1])} at columns
 * {@code columns[rowStart[r] .. rowStart[r + 1])}, in increasing column order. Only entries exactly
 * equal to {@code 0.0f} (either sign) are dropped, so a round trip through {@link #toDense()} is exact.
 */
public final class CsrMatrix {

    private final int rows;
    private final int cols;
    private final int[] rowStart;
    private final int[] columns;
    private final float[] values;

    private CsrMatrix(int rows, int cols, int[] rowStart, int[] columns, float[] values) {
        this.rows = rows;
        this.cols = cols;
        this.rowStart = rowStart;
        this.columns = columns;
        this.values = values;
    }

    /**
     * Encodes a dense row-major matrix.
     *
     * @param dense {@code [rows, cols]} row-major, length {@code rows * cols}; not modified
     * @param rows number of rows, &ge; 0
     * @param cols number of columns, &ge; 0
     * @return the CSR form of {@code dense} (NaN and infinite values are kept as non-zeros)
     * @throws IllegalArgumentException if a size is negative or {@code dense} has the wrong length
     */
    public static CsrMatrix fromDense(float[] dense, int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("rows and cols must be >= 0, got rows=" + rows + ", cols=" + cols);
        }
        if (dense == null || (long) dense.length != (long) rows * cols) {
            throw new IllegalArgumentException("dense must have length rows * cols = " + ((long) rows * cols)
                    + ", got " + (dense == null ? "null" : dense.length));
        }
        int[] rowStart = new int[rows + 1];
        int nonZeros = 0;
        for (float v : dense) {
            if (v != 0.0f) {
                nonZeros++;
            }
        }
        int[] columns = new int[nonZeros];
        float[] values = new float[nonZeros];
        int k = 0;
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                float v = dense[base + c];
                if (v != 0.0f) {
                    columns[k] = c;
                    values[k++] = v;
                }
            }
            rowStart[r + 1] = k;
        }
        return new CsrMatrix(rows, cols, rowStart, columns, values);
    }

    /** @return the number of rows */
    public int rows() {
        return rows;
    }

    /** @return the number of columns */
    public int cols() {
        return cols;
    }

    /** @return the number of stored (non-zero) entries */
    public int nonZeros() {
        return values.length;
    }

    /** @return {@code nonZeros / (rows * cols)}, in [0, 1]; 0 for an empty shape */
    public double density() {
        long size = (long) rows * cols;
        return size == 0 ? 0.0 : (double) values.length / size;
    }

    /**
     * @param row row index in [0, rows)
     * @return the index of the row's first entry in {@link #values()} (row {@code rows} gives nnz)
     */
    public int rowStart(int row) {
        return rowStart[row];
    }

    /** @return a copy of the column index of every entry, {@code [nonZeros]} */
    public int[] columns() {
        return columns.clone();
    }

    /** @return a copy of the entries' values, {@code [nonZeros]} */
    public float[] values() {
        return values.clone();
    }

    /** @return a copy of the row pointers, {@code [rows + 1]} */
    public int[] rowStarts() {
        return rowStart.clone();
    }

    /** @return the dense row-major matrix {@code [rows, cols]}, a new array */
    public float[] toDense() {
        float[] dense = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int k = rowStart[r]; k < rowStart[r + 1]; k++) {
                dense[r * cols + columns[k]] = values[k];
            }
        }
        return dense;
    }

    @Override
    public String toString() {
        return "CsrMatrix[" + rows + " x " + cols + ", nnz=" + values.length + ", rowStart="
                + (rows <= 8 ? Arrays.toString(rowStart) : "...") + "]";
    }
}
