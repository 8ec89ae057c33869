package org.rpg4j.sparse.kernel;

import java.util.Arrays;

/**
 * A 2-D convolution (dilation 1, one group) with sparse weights on dense NCHW activations, for
 * inference. The weights are kept as CSR over {@code [outChannels, inChannels * kh * kw]}; each
 * non-zero multiplies one contiguous run of the prepared input ({@link ConvolutionLayout}), so the work
 * is proportional to the number of non-zeros. Images are spread over threads when the batch has more
 * than one; a single image is split into blocks of output channels. Thread-safe: each thread keeps
 * its own scratch buffers (the padded or patch copy of an image), allocated once and reused by every
 * later image and call on that thread, so a convolution allocates nothing per image.
 */
public final class SparseConvolution {

    private static final int CHANNEL_BLOCKS = 8;

    private final ConvolutionShape shape;
    private final ConvolutionLayout layout;
    private final CsrMatrix weights;
    private final int[] rowStart;
    private final int[] offsets;
    private final float[] values;
    private final float[] bias;
    private final FusedActivation activation;
    private final KernelThreading threading;
    private final RowKernel kernel;
    /** The direct path for a few non-zeros (cheaper than preparing the source), or null. */
    private final ShiftedTaps taps;
    /** Per-thread buffers: the prepared source of one image and one output row at padded width. */
    private final ThreadLocal<Scratch> scratch;

    private SparseConvolution(ConvolutionShape shape, CsrMatrix weights, float[] bias, FusedActivation activation,
                              KernelThreading threading, RowKernel kernel) {
        this.shape = shape;
        this.layout = ConvolutionLayout.of(shape);
        this.weights = weights;
        this.rowStart = weights.rowStarts();
        this.values = weights.values();
        int[] columns = weights.columns();
        this.offsets = new int[columns.length];
        for (int k = 0; k < columns.length; k++) {
            offsets[k] = layout.offset(shape, columns[k]);
        }
        this.bias = bias;
        this.activation = activation;
        this.threading = threading;
        this.kernel = kernel;
        int sourceSize = layout.sourceSize(shape);
        int run = layout.rowRun(shape);
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(new float[sourceSize], new float[run]));
        // the direct path when its products cost less than copying the image into the prepared source
        long tapProducts = (long) values.length * shape.outHeight() * shape.outWidth();
        this.taps = layout != ConvolutionLayout.POINTWISE && tapProducts <= shape.inputSize()
                ? new ShiftedTaps(shape, weights) : null;
    }

    /**
     * One thread's working memory, allocated on the thread's first call and kept with the convolution.
     *
     * @param source the prepared source of one image ({@link ConvolutionLayout#sourceSize})
     * @param accumulator one output channel at padded width ({@link ConvolutionLayout#rowRun})
     */
    private record Scratch(float[] source, float[] accumulator) {
    }

    /**
     * @param shape the convolution's geometry
     * @param weights {@code [outChannels, inChannels, kh, kw]} row-major; not modified (zeros are skipped)
     * @param bias {@code [outChannels]}, or null for none; not modified
     * @param activation applied to each output before it is stored
     * @param threading how images or channel blocks are spread over threads
     * @return the compiled convolution, with {@link KernelInstructions#best()}
     * @throws IllegalArgumentException if an array has the wrong length or an argument is null
     */
    public static SparseConvolution of(ConvolutionShape shape, float[] weights, float[] bias,
                                       FusedActivation activation, KernelThreading threading) {
        return of(shape, weights, bias, activation, threading, KernelInstructions.best());
    }

    /**
     * @param shape the convolution's geometry
     * @param weights {@code [outChannels, inChannels, kh, kw]} row-major; not modified (zeros are skipped)
     * @param bias {@code [outChannels]}, or null for none; not modified
     * @param activation applied to each output before it is stored
     * @param threading how images or channel blocks are spread over threads
     * @param instructions scalar or Vector API inner loop
     * @return the compiled convolution
     * @throws IllegalArgumentException if an array has the wrong length, an argument is null, or the
     *     instructions are not available in this JVM
     */
    public static SparseConvolution of(ConvolutionShape shape, float[] weights, float[] bias,
                                       FusedActivation activation, KernelThreading threading,
                                       KernelInstructions instructions) {
        if (shape == null || activation == null || threading == null || instructions == null) {
            throw new IllegalArgumentException("shape, activation, threading and instructions must not be null");
        }
        if (bias != null && bias.length != shape.outChannels()) {
            throw new IllegalArgumentException("bias must have length outChannels = " + shape.outChannels()
                    + ", got " + bias.length);
        }
        CsrMatrix csr = CsrMatrix.fromDense(weights, shape.outChannels(), shape.patchSize());
        float[] b = bias == null ? new float[shape.outChannels()] : bias.clone();
        return new SparseConvolution(shape, csr, b, activation, threading, instructions.kernel());
    }

    /** @return the geometry */
    public ConvolutionShape shape() {
        return shape;
    }

    /** @return the weights as CSR {@code [outChannels, inChannels * kh * kw]} */
    public CsrMatrix weights() {
        return weights;
    }

    /**
     * Computes the convolution of a batch.
     *
     * @param input {@code [batch, inChannels, inHeight, inWidth]} row-major; not modified
     * @param batch number of images, &ge; 1
     * @param output {@code [batch, outChannels, outHeight, outWidth]} row-major; overwritten
     * @throws IllegalArgumentException if the batch is below 1 or an array has the wrong length
     */
    public void forward(float[] input, int batch, float[] output) {
        checkArrays(input, batch, output);
        if (values.length == 0) {
            constantOutput(batch, output);
            return;
        }
        if (taps != null) {
            long tapWork = (long) batch * values.length * shape.outHeight() * shape.outWidth();
            threading.run(batch, tapWork, image -> taps.image(bias, activation, input, image * shape.inputSize(),
                    output, image * shape.outputSize()));
            return;
        }
        long work = (long) batch * values.length * layout.rowRun(shape);
        if (batch == 1) {
            float[] source = preparedSource(input, 0);
            int blocks = Math.min(CHANNEL_BLOCKS, shape.outChannels());
            threading.run(blocks, work, block -> channels(source, 0, output, 0,
                    block * shape.outChannels() / blocks, (block + 1) * shape.outChannels() / blocks));
        } else {
            threading.run(batch, work, image -> {
                int inputBase = image * shape.inputSize();
                float[] source = preparedSource(input, inputBase);
                int sourceBase = layout == ConvolutionLayout.POINTWISE ? inputBase : 0;
                channels(source, sourceBase, output, image * shape.outputSize(), 0, shape.outChannels());
            });
        }
    }

    /**
     * @return the image's prepared source: the input itself (POINTWISE) or this thread's scratch buffer,
     *     reused across images and calls (PADDED writes the same interior positions every time, so the
     *     zero border written once stays zero; PATCHES writes every entry)
     */
    private float[] preparedSource(float[] input, int inputBase) {
        if (layout == ConvolutionLayout.POINTWISE) {
            return input;
        }
        float[] source = scratch.get().source();
        layout.prepare(shape, input, inputBase, source);
        return source;
    }

    /** No non-zero weight: every output is the activation of its channel's bias. */
    private void constantOutput(int batch, float[] output) {
        int plane = shape.outHeight() * shape.outWidth();
        for (int image = 0; image < batch; image++) {
            for (int o = 0; o < shape.outChannels(); o++) {
                int base = image * shape.outputSize() + o * plane;
                Arrays.fill(output, base, base + plane, bias[o]);
                activation.applyInPlace(output, base, plane);
            }
        }
    }

    /** Output channels {@code [from, to)} of one image. */
    private void channels(float[] source, int sourceBase, float[] output, int outputBase, int from, int to) {
        int run = layout.rowRun(shape);
        int plane = shape.outHeight() * shape.outWidth();
        boolean direct = layout != ConvolutionLayout.PADDED;
        float[] acc = direct ? null : scratch.get().accumulator();
        for (int o = from; o < to; o++) {
            int outBase = outputBase + o * plane;
            if (direct) {
                kernel.row(values, offsets, rowStart[o], rowStart[o + 1], source, sourceBase, bias[o], output,
                        outBase, run);
            } else {
                kernel.row(values, offsets, rowStart[o], rowStart[o + 1], source, sourceBase, bias[o], acc, 0,
                        run);
                dropPaddingColumns(acc, output, outBase);
            }
            activation.applyInPlace(output, outBase, plane);
        }
    }

    private void dropPaddingColumns(float[] acc, float[] output, int outBase) {
        int width = shape.outWidth();
        int paddedWidth = layout.rowWidth(shape);
        for (int y = 0; y < shape.outHeight(); y++) {
            System.arraycopy(acc, y * paddedWidth, output, outBase + y * width, width);
        }
    }

    private void checkArrays(float[] input, int batch, float[] output) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        long inLength = (long) batch * shape.inputSize();
        long outLength = (long) batch * shape.outputSize();
        if (input == null || input.length != inLength) {
            throw new IllegalArgumentException("input must have length batch * inChannels * inHeight * inWidth = "
                    + inLength + ", got " + (input == null ? "null" : input.length));
        }
        if (output == null || output.length != outLength) {
            throw new IllegalArgumentException("output must have length batch * outChannels * outHeight * outWidth = "
                    + outLength + ", got " + (output == null ? "null" : output.length));
        }
    }

    @Override
    public String toString() {
        return "SparseConvolution[" + shape + ", " + (taps != null ? "shifted taps" : layout) + ", density=" + weights
                .density() + ", bias="
                + (bias.length <= 4 ? Arrays.toString(bias) : "[" + bias.length + "]") + "]";
    }
}
