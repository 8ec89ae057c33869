package org.rpg4j.sparse.kernel;

/**
 * How an NCHW activation {@code [batch, channels, height, width]} is stored with a zero border: each
 * channel plane takes {@code rows * rowWidth} floats, pixel {@code (y, x)} sits at
 * {@code (y + padTop) * rowWidth + padLeft + x} and every other position of the plane is zero. This is
 * the padded copy a stride-1 {@link SparseConvolution} reads ({@link SparseConvolution#inputLayout()});
 * a convolution can also write its output in it ({@link SparseConvolution#writesLayout}), so the next
 * convolution reads it without copying.
 *
 * @param height image rows, &ge; 1
 * @param width image columns, &ge; 1
 * @param padTop zero rows above the image, &ge; 0
 * @param padLeft zero columns left of the image, &ge; 0
 * @param rowWidth floats per stored row, &ge; {@code padLeft + width}
 * @param rows stored rows per plane, &ge; {@code padTop + height}
 */
public record PlaneLayout(int height, int width, int padTop, int padLeft, int rowWidth, int rows) {

    /**
     * Validates the layout.
     *
     * @param height image rows, &ge; 1
     * @param width image columns, &ge; 1
     * @param padTop zero rows above the image, &ge; 0
     * @param padLeft zero columns left of the image, &ge; 0
     * @param rowWidth floats per stored row, &ge; {@code padLeft + width}
     * @param rows stored rows per plane, &ge; {@code padTop + height}
     * @throws IllegalArgumentException if the image does not fit or a size is out of range
     */
    public PlaneLayout {
        if (height < 1 || width < 1 || padTop < 0 || padLeft < 0) {
            throw new IllegalArgumentException("height and width must be >= 1 and padTop, padLeft >= 0, got " + height
                    + "x" + width + ", pad " + padTop + "," + padLeft);
        }
        if (rowWidth < padLeft + width || rows < padTop + height) {
            throw new IllegalArgumentException("rowWidth must be >= padLeft + width = " + (padLeft + width)
                    + " and rows >= padTop + height = " + (padTop + height) + ", got " + rowWidth + " and " + rows);
        }
    }

    /** @return floats per channel plane, {@code rows * rowWidth} */
    public int planeSize() {
        return rows * rowWidth;
    }

    /** @return index of pixel (0, 0) inside a plane, {@code padTop * rowWidth + padLeft} */
    public int origin() {
        return padTop * rowWidth + padLeft;
    }

    /**
     * Copies a plain NCHW array into this layout.
     *
     * @param flat {@code [batch, channels, height, width]} row-major; not modified
     * @param channels channels per image, &ge; 1
     * @return {@code [batch, channels, rows, rowWidth]}, a new array with zero borders
     * @throws IllegalArgumentException if {@code flat.length} is not a multiple of {@code channels * height * width}
     */
    public float[] pad(float[] flat, int channels) {
        int plane = height * width;
        int planes = checkedPlanes(flat.length, channels, plane, "flat");
        float[] padded = new float[planes * planeSize()];
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < height; y++) {
                System.arraycopy(flat, p * plane + y * width, padded, p * planeSize() + origin() + y * rowWidth, width);
            }
        }
        return padded;
    }

    /**
     * Copies an array in this layout back to plain NCHW.
     *
     * @param padded {@code [batch, channels, rows, rowWidth]}; not modified
     * @param channels channels per image, &ge; 1
     * @return {@code [batch, channels, height, width]}, a new array
     * @throws IllegalArgumentException if {@code padded.length} is not a multiple of {@code channels * planeSize()}
     */
    public float[] unpad(float[] padded, int channels) {
        int planes = checkedPlanes(padded.length, channels, planeSize(), "padded");
        return unpadInto(padded, channels, new float[planes * height * width]);
    }

    /**
     * As {@link #unpad}, into an array the caller owns (a runner reuses one per call instead of allocating 0.5-2 MB
     * of fresh heap, which page-faulted on every call).
     *
     * @param padded {@code [batch, channels, rows, rowWidth]}; not modified
     * @param channels channels per image, &ge; 1
     * @param flat receives {@code [batch, channels, height, width]}; every entry is written
     * @return {@code flat}
     * @throws IllegalArgumentException if {@code padded.length} is not a multiple of {@code channels * planeSize()},
     *     or {@code flat} is null or not of the plain length
     */
    public float[] unpadInto(float[] padded, int channels, float[] flat) {
        int planes = checkedPlanes(padded.length, channels, planeSize(), "padded");
        int plane = height * width;
        if (flat == null || flat.length != (long) planes * plane) {
            throw new IllegalArgumentException("flat must hold " + ((long) planes * plane)
                    + " floats (planes * height * width), got " + (flat == null ? "null" : flat.length));
        }
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < height; y++) {
                System.arraycopy(padded, p * planeSize() + origin() + y * rowWidth, flat, p * plane + y * width, width);
            }
        }
        return flat;
    }

    private static int checkedPlanes(int length, int channels, int plane, String name) {
        if (channels < 1 || length % ((long) channels * plane) != 0) {
            throw new IllegalArgumentException(name + " must hold whole images of channels * plane = " + channels
                    + " * " + plane + " floats, got length " + length);
        }
        return length / plane;
    }
}
