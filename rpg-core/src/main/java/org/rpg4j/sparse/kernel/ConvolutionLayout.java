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
 *   <li>{@link #PHASES}: stride above 1: each input channel split into {@code sh * sw} phase planes (the
 *       input rows {@code iy = py (mod sh)} and columns {@code ix = px (mod sw)}), each with zero borders
 *       and row width {@code wp = outWidth + (kw - 1 - padLeft) / sw + ceil(padLeft / sw)}; weight
 *       {@code (c, ky, kx)} reads one phase plane at a fixed shift, a run of {@code outHeight * wp} values
 *       computing the output at padded width as PADDED does. One gathering copy of the input instead of
 *       im2col's {@code kh * kw} copies with a bounds check per entry.
 * </ul>
 */
enum ConvolutionLayout {
    /** 1x1, stride 1, no padding. */
    POINTWISE,
    /** Stride 1: direct convolution over a zero-padded copy. */
    PADDED,
    /** Stride above 1: direct convolution over zero-bordered phase planes. */
    PHASES;

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
        return unitStride ? PADDED : PHASES;
    }

    /** PHASES runs are rounded up to a multiple of this (an AVX-512 vector of floats), so no scalar tail is left. */
    static final int RUN_MULTIPLE = 16;

    /**
     * @param s the convolution
     * @return true if the computed runs are exactly the output planes (POINTWISE; PHASES without padding
     *     columns, such as a strided 1x1, on planes of a multiple of {@link #RUN_MULTIPLE} floats), so they may
     *     be written straight into the output; false if they go through an accumulator and are compacted
     */
    boolean plainRows(ConvolutionShape s) {
        return switch (this) {
            case POINTWISE -> true;
            case PADDED -> false;
            case PHASES -> rowRun(s) == s.outHeight() * s.outWidth();
        };
    }

    /** @return width of one row of the computed output (before dropping the padding columns) */
    int rowWidth(ConvolutionShape s) {
        return switch (this) {
            case POINTWISE -> s.outWidth();
            case PADDED -> s.outWidth() + s.kernelWidth() - 1;
            case PHASES -> s.outWidth() + shifts(s.kernelWidth(), s.padLeft(), s.strideWidth());
        };
    }

    /**
     * @return length of the run each non-zero weight multiplies: the output rows at {@link #rowWidth}, for
     *     PHASES rounded up to a multiple of {@link #RUN_MULTIPLE} (the positions after the last row are
     *     computed and dropped: on ResNet-56's 8x8 stride-2 outputs, a run of 72 left 8 floats per row to the
     *     scalar tail, which took longer than the 64 vector positions)
     */
    int rowRun(ConvolutionShape s) {
        int run = s.outHeight() * rowWidth(s);
        return this == PHASES ? -Math.floorDiv(-run, RUN_MULTIPLE) * RUN_MULTIPLE : run;
    }

    /** @return floats of the prepared source per image (0 for POINTWISE: the input is used as is) */
    int sourceSize(ConvolutionShape s) {
        return switch (this) {
            case POINTWISE -> 0;
            case PADDED -> s.inChannels() * paddedPlane(s);
            // the last tap's rounded run may read up to RUN_MULTIPLE - 1 floats past the last plane
            case PHASES -> s.inChannels() * s.strideHeight() * s.strideWidth() * phasePlane(s) + RUN_MULTIPLE;
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
            case PHASES -> {
                int ay = ky - s.padTop();
                int ax = kx - s.padLeft();
                int phase = Math.floorMod(ay, s.strideHeight()) * s.strideWidth() + Math.floorMod(ax, s.strideWidth());
                int row = Math.floorDiv(ay, s.strideHeight()) + border(s.padTop(), s.strideHeight());
                int col = Math.floorDiv(ax, s.strideWidth()) + border(s.padLeft(), s.strideWidth());
                yield (c * s.strideHeight() * s.strideWidth() + phase) * phasePlane(s) + row * rowWidth(s) + col;
            }
        };
    }

    /**
     * Writes one image's prepared source.
     *
     * @param s the convolution
     * @param input NCHW input; not modified
     * @param inputBase index of the image's first value
     * @param source output, {@code [sourceSize]}; for PADDED and PHASES the border (every position this
     *     method does not write) must be zero on entry: a fresh buffer, or one this method filled for the same
     *     shape
     */
    void prepare(ConvolutionShape s, float[] input, int inputBase, float[] source) {
        if (this == PADDED) {
            pad(s, input, inputBase, source);
        } else if (this == PHASES) {
            phases(s, input, inputBase, s.inHeight() * s.inWidth(), s.inWidth(), source);
        }
    }

    /**
     * Writes one image's PHASES source from an input stored in {@code stored} (zero borders around each plane).
     *
     * @param s the convolution
     * @param input {@code [.., inChannels, rows, rowWidth]} of {@code stored}; not modified
     * @param inputBase index of the image's first value (its first plane's first stored position)
     * @param stored the input's layout, of height {@code inHeight} and width {@code inWidth}
     * @param source output, as for {@link #prepare}
     */
    void preparePhases(ConvolutionShape s, float[] input, int inputBase, PlaneLayout stored, float[] source) {
        phases(s, input, inputBase + stored.origin(), stored.planeSize(), stored.rowWidth(), source);
    }

    /**
     * @return how many more phase columns (or rows) a padded row holds than the output: the tap shifts
     *     {@code floorDiv(k - 1 - pad, stride) - floorDiv(-pad, stride)}
     */
    private static int shifts(int kernel, int pad, int stride) {
        return Math.floorDiv(kernel - 1 - pad, stride) + border(pad, stride);
    }

    /** @return the zero rows (or columns) before a phase plane's first input row: {@code -floorDiv(-pad, stride)} */
    private static int border(int pad, int stride) {
        return -Math.floorDiv(-pad, stride);
    }

    /** Floats of one phase plane: the output rows plus the tap shifts, plus one so every run fits. */
    private static int phasePlane(ConvolutionShape s) {
        return (s.outHeight() + shifts(s.kernelHeight(), s.padTop(), s.strideHeight()) + 1) * PHASES.rowWidth(s);
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

    /**
     * Writes the input values of every phase plane that some tap reads (the zero border and the unread
     * planes stay as they are: zero).
     */
    private static void phases(ConvolutionShape s, float[] input, int inputBase, int channelStride, int rowStride,
                               float[] source) {
        int sh = s.strideHeight();
        int sw = s.strideWidth();
        int wp = PHASES.rowWidth(s);
        int rows = s.outHeight() + shifts(s.kernelHeight(), s.padTop(), sh);
        int plane = phasePlane(s);
        int top = border(s.padTop(), sh);
        int left = border(s.padLeft(), sw);
        for (int c = 0; c < s.inChannels(); c++) {
            int channelBase = inputBase + c * channelStride;
            for (int py = 0; py < sh; py++) {
                int rowEnd = Math.min(rows, top + Math.max(0, -Math.floorDiv(py - s.inHeight(), sh)));
                for (int px = 0; px < sw; px++) {
                    if (!read(s.kernelHeight(), s.padTop(), sh, py) || !read(s.kernelWidth(), s.padLeft(), sw, px)) {
                        continue;
                    }
                    int colEnd = Math.min(wp, left + Math.max(0, -Math.floorDiv(px - s.inWidth(), sw)));
                    int planeBase = ((c * sh + py) * sw + px) * plane;
                    for (int r = top; r < rowEnd; r++) {
                        int from = channelBase + ((r - top) * sh + py) * rowStride + px - left * sw;
                        int to = planeBase + r * wp;
                        for (int q = left; q < colEnd; q++) {
                            source[to + q] = input[from + q * sw];
                        }
                    }
                }
            }
        }
    }

    /** @return true if some kernel offset {@code 0..kernel-1} reads phase {@code phase} */
    private static boolean read(int kernel, int pad, int stride, int phase) {
        for (int k = 0; k < kernel; k++) {
            if (Math.floorMod(k - pad, stride) == phase) {
                return true;
            }
        }
        return false;
    }
}
