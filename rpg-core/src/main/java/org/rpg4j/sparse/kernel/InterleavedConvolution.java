package org.rpg4j.sparse.kernel;

/**
 * A dense 2-D convolution (any kernel size, stride and padding) with bias, an optional residual term and
 * {@link FusedActivation}, on activations in the batch-interleaved {@link InterleavedLayout}: every load is one
 * aligned pixel of {@value InterleavedLayout#GROUP} images, no padded pixel is computed, and with the Vector API
 * each loaded pixel feeds several output channels and, for a 3x3 stride-1 kernel, all three horizontal taps
 * (blocks of 5 output channels by 4 output pixels: 20 accumulators; see {@code VectorInterleaved}). Meant for the
 * dense (channel-shrunk) networks at batch &ge; 16, where the NCHW kernels run along short padded rows.
 * Immutable and thread-safe: threads may run disjoint groups of one batch.
 */
public final class InterleavedConvolution {

    /** Output channels per register block of the Vector API kernel. */
    static final int BLOCK = 5;

    private final ConvolutionShape shape;
    private final float[] weights;
    private final float[] bias;
    private final boolean relu;
    private final int blockWidth;
    private final int blocks;
    private final float[] packed;
    private final InterleavedKernel kernel;

    private InterleavedConvolution(ConvolutionShape shape, float[] weights, float[] bias, FusedActivation activation,
                                   KernelInstructions instructions) {
        this.shape = shape;
        this.weights = weights.clone();
        this.bias = bias == null ? new float[shape.outChannels()] : bias.clone();
        this.relu = activation == FusedActivation.RELU;
        this.blockWidth = Math.min(BLOCK, shape.outChannels());
        this.blocks = (shape.outChannels() + blockWidth - 1) / blockWidth;
        this.packed = pack();
        this.kernel = instructions.interleavedKernel();
    }

    /**
     * @param shape the geometry
     * @param weights {@code [outChannels, inChannels, kernelHeight, kernelWidth]} row-major, copied
     * @param bias null (zeros) or {@code [outChannels]}, copied
     * @param activation applied after the bias and the residual
     * @param instructions the kernel's instructions ({@link KernelInstructions#best()} for the fastest available)
     * @return the convolution
     * @throws IllegalArgumentException if an argument is null or has the wrong length, or the instructions are
     *     not available in this JVM
     */
    public static InterleavedConvolution of(ConvolutionShape shape, float[] weights, float[] bias,
                                            FusedActivation activation, KernelInstructions instructions) {
        if (shape == null || activation == null || instructions == null) {
            throw new IllegalArgumentException("shape, activation and instructions must not be null");
        }
        long length = (long) shape.outChannels() * shape.patchSize();
        if (weights == null || weights.length != length) {
            throw new IllegalArgumentException("weights must have length outChannels * inChannels * kernelHeight * "
                    + "kernelWidth = " + length + ", got " + (weights == null ? "null" : weights.length));
        }
        if (bias != null && bias.length != shape.outChannels()) {
            throw new IllegalArgumentException("bias must be null or have length outChannels = "
                    + shape.outChannels() + ", got " + bias.length);
        }
        return new InterleavedConvolution(shape, weights, bias, activation, instructions);
    }

    /** @return the geometry */
    public ConvolutionShape shape() {
        return shape;
    }

    /**
     * Runs {@code groups} consecutive groups: {@code output = activation(conv(input) + bias + residual)}. The
     * output's border is not written.
     *
     * @param input {@code groups * inputLayout.groupSize()} floats or more, not modified; its border zeros
     * @param inputLayout the input's layout: the shape's input channels and size, a border of at least the
     *     padding the kernel's windows reach (top and left: the padding; bottom and right: what the last window
     *     needs beyond the input)
     * @param groups groups of {@value InterleavedLayout#GROUP} images, &ge; 1
     * @param output modified: {@code groups * outputLayout.groupSize()} floats or more
     * @param outputLayout the output's layout: the shape's output channels and size, any border
     * @param residual null, or a term in the output's layout (not the output array itself), not modified
     * @throws IllegalArgumentException if a layout does not match the shape, an array is too short, or the
     *     residual is the output array
     */
    public void forward(float[] input, InterleavedLayout inputLayout, int groups, float[] output,
                        InterleavedLayout outputLayout, float[] residual) {
        checkLayouts(inputLayout, outputLayout);
        checkArrays(input, inputLayout, groups, output, outputLayout, residual);
        int inputStart = (inputLayout.border() - shape.padTop()) * inputLayout.rowStride()
                + (inputLayout.border() - shape.padLeft()) * InterleavedLayout.GROUP;
        int outputStart = outputLayout.index(0, 0, 0);
        for (int g = 0; g < groups; g++) {
            kernel.group(this, input, g * inputLayout.groupSize() + inputStart, inputLayout.rowStride(),
                    inputLayout.channelStride(), output, g * outputLayout.groupSize() + outputStart,
                    outputLayout.rowStride(), outputLayout.channelStride(), residual);
        }
    }

    private void checkLayouts(InterleavedLayout in, InterleavedLayout out) {
        if (in == null || out == null) {
            throw new IllegalArgumentException("inputLayout and outputLayout must not be null");
        }
        if (in.channels() != shape.inChannels() || in.height() != shape.inHeight()
                || in.width() != shape.inWidth()) {
            throw new IllegalArgumentException("inputLayout " + in + " does not hold the shape's input "
                    + shape.inChannels() + "x" + shape.inHeight() + "x" + shape.inWidth());
        }
        if (out.channels() != shape.outChannels() || out.height() != shape.outHeight()
                || out.width() != shape.outWidth()) {
            throw new IllegalArgumentException("outputLayout " + out + " does not hold the shape's output "
                    + shape.outChannels() + "x" + shape.outHeight() + "x" + shape.outWidth());
        }
        int needed = inputBorder();
        if (in.border() < needed) {
            throw new IllegalArgumentException("inputLayout border must be >= " + needed
                    + " (the padding the kernel's windows reach), got " + in.border());
        }
    }

    private static void checkArrays(float[] input, InterleavedLayout inputLayout, int groups, float[] output,
                                    InterleavedLayout outputLayout, float[] residual) {
        if (groups < 1) {
            throw new IllegalArgumentException("groups must be >= 1, got " + groups);
        }
        long in = (long) groups * inputLayout.groupSize();
        long out = (long) groups * outputLayout.groupSize();
        if (input == null || input.length < in) {
            throw new IllegalArgumentException("input must have length >= groups * inputLayout.groupSize() = " + in
                    + ", got " + (input == null ? "null" : input.length));
        }
        if (output == null || output.length < out) {
            throw new IllegalArgumentException("output must have length >= groups * outputLayout.groupSize() = "
                    + out + ", got " + (output == null ? "null" : output.length));
        }
        if (residual != null && residual.length < out) {
            throw new IllegalArgumentException("residual must have length >= " + out + ", got " + residual.length);
        }
        if (residual == output) {
            throw new IllegalArgumentException("residual must not be the output array (the kernel recomputes "
                    + "overlapping blocks)");
        }
    }

    /**
     * @return the smallest input border this convolution reads: the top and left padding, and the rows and columns
     *     the last window reaches beyond the input
     */
    public int inputBorder() {
        int bottom = (shape.outHeight() - 1) * shape.strideHeight() - shape.padTop() + shape.kernelHeight()
                - shape.inHeight();
        int right = (shape.outWidth() - 1) * shape.strideWidth() - shape.padLeft() + shape.kernelWidth()
                - shape.inWidth();
        return Math.max(Math.max(shape.padTop(), shape.padLeft()), Math.max(bottom, right));
    }

    /** Weights as {@code [block][inChannel][ky][kx][blockWidth]}; the last block overlaps the one before it. */
    private float[] pack() {
        int patch = shape.patchSize();
        float[] result = new float[blocks * patch * blockWidth];
        for (int b = 0; b < blocks; b++) {
            int first = blockStart(b);
            for (int k = 0; k < patch; k++) {
                for (int j = 0; j < blockWidth; j++) {
                    result[(b * patch + k) * blockWidth + j] = weights[(first + j) * patch + k];
                }
            }
        }
        return result;
    }

    /**
     * @param block block index in [0, blocks())
     * @return its first output channel: {@code min(block * blockWidth, outChannels - blockWidth)}
     */
    int blockStart(int block) {
        return Math.min(block * blockWidth, shape.outChannels() - blockWidth);
    }

    int blocks() {
        return blocks;
    }

    int blockWidth() {
        return blockWidth;
    }

    float[] packed() {
        return packed;
    }

    float[] weights() {
        return weights;
    }

    float[] bias() {
        return bias;
    }

    boolean relu() {
        return relu;
    }

    /** @return the geometry, the activation and the kernel class that runs it */
    @Override
    public String toString() {
        return "InterleavedConvolution[" + shape + (relu ? ", RELU, " : ", IDENTITY, ")
                + kernel.getClass().getSimpleName() + "]";
    }
}
