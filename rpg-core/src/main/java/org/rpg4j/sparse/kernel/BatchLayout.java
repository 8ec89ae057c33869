package org.rpg4j.sparse.kernel;

/**
 * The batch-interleaved source of a {@link BatchedConvolution}: each input channel's zero-padded plane,
 * {@code hp = (outHeight - 1) * sh + kh} rows by {@code wp = (outWidth - 1) * sw + kw} columns, split into its
 * {@code sh * sw} stride phases (padded row {@code r} is row {@code r / sh} of phase row {@code r % sh}, and the
 * same for columns), each phase {@code ceil(hp / sh)} by {@code ceil(wp / sw)} pixels, each pixel the values of
 * all images of the batch side by side: {@code [inChannels, sh, sw, ceil(hp / sh), ceil(wp / sw), batch]}.
 * Weight {@code (c, ky, kx)} reads for output row {@code y} the {@code outWidth} pixels from phase
 * {@code (ky % sh, kx % sw)}, row {@code y + ky / sh}, column {@code kx / sw} on: one contiguous run of
 * {@code outWidth * batch} floats for any stride (with stride 1 the layout is the plain padded plane).
 * Offsets here count pixels; multiply them by the batch size for floats.
 */
final class BatchLayout {

    private final ConvolutionShape shape;
    private final int paddedHeight;
    private final int paddedWidth;
    private final int phaseRows;
    private final int phaseColumns;
    private final int phases;
    /** The input positions that some weight reads: their index in the channel's input plane. */
    private final int[] imageIndex;
    /** The pixel (within channel 0's interleaved block) of each of {@link #imageIndex}. */
    private final int[] imagePixels;

    /** @param shape the convolution */
    BatchLayout(ConvolutionShape shape) {
        this.shape = shape;
        this.paddedHeight = (shape.outHeight() - 1) * shape.strideHeight() + shape.kernelHeight();
        this.paddedWidth = (shape.outWidth() - 1) * shape.strideWidth() + shape.kernelWidth();
        this.phaseRows = (paddedHeight + shape.strideHeight() - 1) / shape.strideHeight();
        this.phaseColumns = (paddedWidth + shape.strideWidth() - 1) / shape.strideWidth();
        this.phases = shape.strideHeight() * shape.strideWidth();
        int rows = Math.max(0, Math.min(shape.inHeight(), paddedHeight - shape.padTop()));
        int columns = Math.max(0, Math.min(shape.inWidth(), paddedWidth - shape.padLeft()));
        this.imageIndex = new int[rows * columns];
        this.imagePixels = new int[rows * columns];
        for (int h = 0; h < rows; h++) {
            for (int w = 0; w < columns; w++) {
                imageIndex[h * columns + w] = h * shape.inWidth() + w;
                imagePixels[h * columns + w] = pixel(0, h + shape.padTop(), w + shape.padLeft());
            }
        }
    }

    /** @return pixels of one phase */
    private int phasePlane() {
        return phaseRows * phaseColumns;
    }

    /**
     * @param batch images
     * @return floats of the source for {@code batch} images
     */
    int size(int batch) {
        return shape.inChannels() * phases * phasePlane() * batch;
    }

    /**
     * @param column weight-matrix column {@code (c * kh + ky) * kw + kx}
     * @return the pixel where that weight's run for output row 0 starts
     */
    int offset(int column) {
        int kernel = shape.kernelHeight() * shape.kernelWidth();
        int c = column / kernel;
        int ky = column % kernel / shape.kernelWidth();
        int kx = column % shape.kernelWidth();
        return pixel(c, ky, kx);
    }

    /** @return the pixel of padded position {@code (row, column)} of channel {@code c} */
    private int pixel(int c, int row, int column) {
        int sh = shape.strideHeight();
        int sw = shape.strideWidth();
        return (c * phases + row % sh * sw + column % sw) * phasePlane() + row / sh * phaseColumns + column / sw;
    }

    /**
     * @param y output row
     * @return pixels from a weight's run for output row 0 to its run for row {@code y}
     */
    int rowOffset(int y) {
        return y * phaseColumns;
    }

    /**
     * Copies input channels {@code [from, to)} of a batch into the source; every position of the source this
     * does not write is a zero border (or a padded position no weight reads), left as it is.
     *
     * @param input {@code [batch, inChannels, inHeight, inWidth]}; not modified
     * @param batch images
     * @param source {@code [origin + size(batch)]}: the channels' image positions overwritten
     * @param origin index of the layout's first float in {@code source}
     * @param from first input channel
     * @param to end (exclusive) of the channels
     */
    void interleave(float[] input, int batch, float[] source, int origin, int from, int to) {
        int inPlane = shape.inHeight() * shape.inWidth();
        int inSize = shape.inputSize();
        int channelPixels = phases * phasePlane();
        // image by image within a channel: the reads are contiguous and the strided writes stay within one
        // channel's interleaved block (a few KB); the other order read with a stride of inputSize floats, a power
        // of two in the benchmark networks, which maps every image to the same cache set (measured 5x slower)
        for (int c = from; c < to; c++) {
            for (int i = 0; i < batch; i++) {
                int in = i * inSize + c * inPlane;
                int out = origin + c * channelPixels * batch + i;
                for (int p = 0; p < imagePixels.length; p++) {
                    source[out + imagePixels[p] * batch] = input[in + imageIndex[p]];
                }
            }
        }
    }
}
