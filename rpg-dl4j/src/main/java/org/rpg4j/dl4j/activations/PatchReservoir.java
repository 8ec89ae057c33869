package org.rpg4j.dl4j.activations;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A uniform sample, of fixed size, of the input patches a 2-D convolution reads: every output
 * position of every image offered is one candidate row {@code [c, ky, kx]} (zero where the patch
 * hangs over the padding), and reservoir sampling (Vitter's algorithm R) keeps {@code capacity} of
 * them, each candidate with the same probability. Memory is the reservoir, {@code capacity * C * kh *
 * kw} floats, whatever the number of batches; each offered batch is copied once to a float array for
 * the time of the call. Not thread-safe.
 */
public final class PatchReservoir {
    private final int capacity;
    private final int channels;
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final boolean same;
    private boolean wholeRows;
    private final float[] rows;
    private final SplittableRandom random;
    private int filled;
    private long seen;

    private PatchReservoir(int channels, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean same,
                           int capacity, long seed) {
        this.capacity = capacity;
        this.channels = channels;
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.same = same;
        this.wholeRows = false;
        this.rows = new float[Math.multiplyExact(capacity, rowWidth())];
        this.random = new SplittableRandom(seed);
    }

    /**
     * A reservoir of whole input rows, for a dense layer: each image is one candidate, its input
     * flattened in {@code c} order; offer inputs as {@code [n, width, 1, 1]}.
     *
     * @param width inputs of the layer, {@code >= 1}
     * @param capacity rows to keep, {@code >= 1}
     * @param seed seed of the sampling
     * @return an empty reservoir
     * @throws IllegalArgumentException if {@code width} or {@code capacity} is below 1
     */
    public static PatchReservoir ofRows(int width, int capacity, long seed) {
        if (width < 1 || capacity < 1) {
            throw new IllegalArgumentException("width and capacity must be >= 1, got " + width + ", " + capacity);
        }
        int[] one = {1, 1};
        PatchReservoir r = new PatchReservoir(width, one, one, new int[] {0, 0}, one, false, capacity, seed);
        r.wholeRows = true;
        return r;
    }

    /**
     * @param conf a plain 2-D convolution (NCHW; Truncate, Strict or Same mode)
     * @param capacity rows to keep, {@code >= 1}
     * @param seed seed of the sampling
     * @return an empty reservoir for the layer's input
     * @throws IllegalArgumentException if {@code capacity < 1} or the layer uses Causal mode
     */
    public static PatchReservoir of(ConvolutionLayer conf, int capacity, long seed) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        if (conf.getConvolutionMode() == ConvolutionMode.Causal) {
            throw new IllegalArgumentException("layer '" + conf.getLayerName() + "' uses Causal mode; patches support "
                    + "Truncate, Strict and Same");
        }
        return new PatchReservoir((int) conf.getNIn(), conf.getKernelSize(), conf.getStride(), conf.getPadding(),
                conf.getDilation(), conf.getConvolutionMode() == ConvolutionMode.Same, capacity, seed);
    }

    /** @return columns of a row: {@code C * kh * kw} */
    public int rowWidth() {
        return channels * kernel[0] * kernel[1];
    }

    /** @return {@code kh * kw} (1 for a reservoir of rows) */
    public int kernelArea() {
        return kernel[0] * kernel[1];
    }

    /**
     * Offers every output position of every image of a batch.
     *
     * @param input the layer's input {@code [n, C, H, W]} (for {@link #ofRows}: any {@code [n, ...]} with
     *     {@code width} values per image); not modified
     * @throws IllegalArgumentException if the input is not 4-D with the layer's {@code C} channels
     */
    public void offer(INDArray input) {
        if (wholeRows && input != null && input.rank() >= 2 && input.length() / input.size(0) == channels) {
            input = input.dup('c').reshape('c', input.size(0), channels, 1, 1);
        }
        if (input == null || input.rank() != 4 || input.size(1) != channels) {
            throw new IllegalArgumentException("input must be [n, " + channels + ", H, W], got "
                    + (input == null ? "null" : Arrays.toString(input.shape())));
        }
        int n = (int) input.size(0);
        int h = (int) input.size(2);
        int w = (int) input.size(3);
        int[] out = {outputSize(h, 0), outputSize(w, 1)};
        int[] start = {padBefore(h, out[0], 0), padBefore(w, out[1], 1)};
        float[] values = input.castTo(DataType.FLOAT).dup('c').data().asFloat();
        for (int i = 0; i < n; i++) {
            for (int oy = 0; oy < out[0]; oy++) {
                for (int ox = 0; ox < out[1]; ox++) {
                    int slot = nextSlot();
                    if (slot >= 0) {
                        copyPatch(values, i, h, w, oy * stride[0] - start[0], ox * stride[1] - start[1], slot);
                    }
                }
            }
        }
    }

    /** Algorithm R: the slot the next candidate goes to, or -1 to skip it. */
    private int nextSlot() {
        seen++;
        if (filled < capacity) {
            return filled++;
        }
        long j = random.nextLong(seen);
        return j < capacity ? (int) j : -1;
    }

    private void copyPatch(float[] values, int image, int h, int w, int top, int left, int slot) {
        int base = slot * rowWidth();
        int k = 0;
        for (int c = 0; c < channels; c++) {
            int plane = (image * channels + c) * h * w;
            for (int ky = 0; ky < kernel[0]; ky++) {
                int y = top + ky * dilation[0];
                for (int kx = 0; kx < kernel[1]; kx++) {
                    int x = left + kx * dilation[1];
                    rows[base + k++] = y >= 0 && y < h && x >= 0 && x < w ? values[plane + y * w + x] : 0f;
                }
            }
        }
    }

    private int outputSize(int in, int axis) {
        if (same) {
            return (in + stride[axis] - 1) / stride[axis];
        }
        int span = (kernel[axis] - 1) * dilation[axis] + 1;
        return (in + 2 * padding[axis] - span) / stride[axis] + 1;
    }

    private int padBefore(int in, int out, int axis) {
        if (!same) {
            return padding[axis];
        }
        int span = (kernel[axis] - 1) * dilation[axis] + 1;
        return Math.max(0, ((out - 1) * stride[axis] + span - in) / 2);
    }

    /** @return the retained rows as a new float {@code [rows, C*kh*kw]} array */
    public INDArray sample() {
        return Nd4j.create(Arrays.copyOf(rows, filled * rowWidth()), new long[] {filled, rowWidth()}, 'c');
    }

    /** @return rows retained: {@code min(capacity, candidates seen)} */
    public int retainedRows() {
        return filled;
    }

    /** @return the fixed capacity in rows */
    public int capacity() {
        return capacity;
    }

    /** @return candidates (output positions) offered so far */
    public long seenPositions() {
        return seen;
    }

    /** @return bytes held by the reservoir: {@code 4 * capacity * C * kh * kw}, fixed at construction */
    public long retainedBytes() {
        return 4L * rows.length;
    }
}
