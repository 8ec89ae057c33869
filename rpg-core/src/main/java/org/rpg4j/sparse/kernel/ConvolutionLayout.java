package org.rpg4j.sparse.kernel;

/**
 * How a sparse convolution lays out the activations its non-zero weights read, so that each weight
 * multiplies one contiguous run (the "row run", {@link #rowRun}) of floats:
 * <ul>
 *   <li>{@link #POINTWISE}: 1x1 kernel, stride 1, no padding: the input image itself, run = {@code h * w}.
 *   <li>{@link #PADDED}: stride 1, any kernel: the image copied into a zero-padded buffer of row width
 *       {@code wp = outWidth + kw - 1}; weight {@code (c, ky, kx)} reads from
 *       {@code c * plane + ky * wp + kx} a run of {@code outHeight * wp} values, computing the output
 *       at padded width; the {@code kw - 1} extra columns per row are dropped when the row is stored.
 *   <li>{@link #PATCHES}: any stride: im2col, {@code [in * kh * kw, outHeight * outWidth]}.
 * </ul>
 */
enum ConvolutionLayout {
    /** 1x1, stride 1, no padding. */
    POINTWISE,
    /** Stride 1: direct convolution over a zero-padded copy. */
    PADDED,
    /** Any stride: explicit patches (im2col). */
    PATCHES;

    /**
     * @param shape the convolution
     * @return the cheapest layout that computes it
     */
    static ConvolutionLayout of(ConvolutionShape shape) {
        boolean unitStride = shape.strideHeight() == 1 && shape.strideWidth() == 1;
        if (unitStride && shape.kernelHeight() == 1 && shape.kernelWidth() == 1 && shape.padTop() == 0
                && shape.padLeft() == 0 && shape.outHeight() == shape.inHeight() && shape.outWidth() == shape
                        .inWidth()) {
            return POINTWISE;
        }
        return unitStride ? PADDED : PATCHES;
    }

    /** @return width of one row of the computed output (before dropping the padding columns) */
    int rowWidth(ConvolutionShape s) {
        return this == PADDED ? s.outWidth() + s.kernelWidth() - 1 : s.outWidth();
    }

    /** @return length of the run each non-zero weight multiplies */
    int rowRun(ConvolutionShape s) {
        return s.outHeight() * rowWidth(s);
    }

    /** @return floats of the prepared source per image (0 for POINTWISE: the input is used as is) */
    int sourceSize(ConvolutionShape s) {
        return switch (this) {
            case POINTWISE -> 0;
            case PADDED -> s.inChannels() * paddedPlane(s);
            case PATCHES -> s.patchSize() * rowRun(s);
        };
    }

    /**
     * @param s the convolution
     * @param column weight-matrix column {@code (c * kh + ky) * kw + kx}
     * @return where that column's run starts in the prepared source of one image
     */
    int offset(ConvolutionShape s, int column) {
        int kernel = s.kernelHeight() * s.kernelWidth();
        int c = column / kernel;
        int ky = column % kernel / s.kernelWidth();
        int kx = column % s.kernelWidth();
        return switch (this) {
            case POINTWISE -> c * s.inHeight() * s.inWidth();
            case PADDED -> c * paddedPlane(s) + ky * rowWidth(s) + kx;
            case PATCHES -> column * rowRun(s);
        };
    }

    /**
     * Writes one image's prepared source.
     *
     * @param s the convolution
     * @param input NCHW input; not modified
     * @param inputBase index of the image's first value
     * @param source output, {@code [sourceSize]}; for PADDED the border (every position this method does
     *     not write) must be zero on entry: a fresh buffer, or one this method filled for the same shape
     */
    void prepare(ConvolutionShape s, float[] input, int inputBase, float[] source) {
        if (this == PADDED) {
            pad(s, input, inputBase, source);
        } else if (this == PATCHES) {
            patches(s, input, inputBase, source);
        }
    }

    /**
     * @param s the convolution
     * @return the PADDED source as a {@link PlaneLayout}, when the whole image fits in it (so that the
     *     layout also serves as the activation's storage for other readers); null otherwise
     */
    static PlaneLayout sourceLayout(ConvolutionShape s) {
        int wp = s.outWidth() + s.kernelWidth() - 1;
        int rows = s.outHeight() + s.kernelHeight();
        if (s.padLeft() + s.inWidth() > wp || s.padTop() + s.inHeight() > rows) {
            return null;
        }
        return new PlaneLayout(s.inHeight(), s.inWidth(), s.padTop(), s.padLeft(), wp, rows);
    }

    /** Rows of the padded plane: the output rows plus the kernel's, plus one so every run fits. */
    private static int paddedPlane(ConvolutionShape s) {
        return (s.outHeight() + s.kernelHeight()) * (s.outWidth() + s.kernelWidth() - 1);
    }

    private static void pad(ConvolutionShape s, float[] input, int inputBase, float[] source) {
        int wp = s.outWidth() + s.kernelWidth() - 1;
        int rows = s.outHeight() + s.kernelHeight() - 1;
        int plane = paddedPlane(s);
        int copied = Math.min(s.inWidth(), wp - s.padLeft());
        if (copied <= 0) {
            return;
        }
        for (int c = 0; c < s.inChannels(); c++) {
            for (int y = 0; y < s.inHeight() && y + s.padTop() < rows; y++) {
                System.arraycopy(input, inputBase + (c * s.inHeight() + y) * s.inWidth(), source,
                        c * plane + (y + s.padTop()) * wp + s.padLeft(), copied);
            }
        }
    }

    private static void patches(ConvolutionShape s, float[] input, int inputBase, float[] source) {
        int n = s.outHeight() * s.outWidth();
        for (int c = 0; c < s.inChannels(); c++) {
            for (int ky = 0; ky < s.kernelHeight(); ky++) {
                for (int kx = 0; kx < s.kernelWidth(); kx++) {
                    int row = ((c * s.kernelHeight() + ky) * s.kernelWidth() + kx) * n;
                    for (int y = 0; y < s.outHeight(); y++) {
                        int iy = y * s.strideHeight() + ky - s.padTop();
                        if (iy < 0 || iy >= s.inHeight()) {
                            java.util.Arrays.fill(source, row + y * s.outWidth(), row + (y + 1) * s.outWidth(), 0f);
                            continue;
                        }
                        int inRow = inputBase + (c * s.inHeight() + iy) * s.inWidth();
                        for (int x = 0; x < s.outWidth(); x++) {
                            int ix = x * s.strideWidth() + kx - s.padLeft();
                            source[row + y * s.outWidth() + x] = ix >= 0 && ix < s.inWidth() ? input[inRow + ix] : 0f;
                        }
                    }
                }
            }
        }
    }
}
