package org.rpg4j.sparse.kernel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A 2-D convolution (dilation 1, one group) with sparse weights for small planes at batch sizes above one: the
 * images of the batch are the vector dimension. The input is copied into a batch-interleaved layout
 * ({@link BatchLayout}: {@code [inChannels, phases, rows, columns, batch]} with zero borders, a stride
 * {@code s} split into its {@code s * s} phases), in which the {@code outWidth * batch} values one non-zero
 * weight multiplies for one output row are contiguous for any stride. Each weight of an output channel then
 * multiplies {@code outWidth * batch} floats (128 at a 4x4 plane and batch 32, where {@link SparseConvolution}
 * has runs of 22 floats per image, below two AVX-512 vectors) through the same register-blocked row kernels
 * ({@link RowKernel}, channel blocks where they pay), so each non-zero feeds full vectors from one contiguous
 * source with the accumulators held in registers over all non-zeros of the channel (SpMM as in XNNPACK; Elsen et
 * al., "Fast Sparse ConvNets", CVPR 2020, with the batch in place of the pixels). The result is written as
 * {@code [outChannels, outHeight, outWidth, batch]} and transposed to NCHW, adding the residual term and applying
 * the activation in that pass. Output channels are spread over threads. Thread-safe: the interleaved buffers are
 * per calling thread and per batch size.
 */
public final class BatchedConvolution {

    /** Tasks a call's output channels are split into (whole channel blocks). */
    private static final int TASKS = 16;

    private final ConvolutionShape shape;
    private final BatchLayout layout;
    private final CsrMatrix weights;
    private final int[] rowStart;
    private final float[] values;
    private final int[] pixelOffsets;
    private final float[] bias;
    private final FusedActivation activation;
    private final KernelThreading threading;
    private final RowKernel kernel;
    private final ChannelBlocking blocking;
    /** Per batch size: the weights' source offsets and channel blocks for that interleaving. */
    private final Map<Integer, Plan> plans = new ConcurrentHashMap<>();
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    private BatchedConvolution(ConvolutionShape shape, CsrMatrix weights, float[] bias, FusedActivation activation,
                               KernelThreading threading, RowKernel kernel, ChannelBlocking blocking) {
        this.shape = shape;
        this.layout = new BatchLayout(shape);
        this.weights = weights;
        this.rowStart = weights.rowStarts();
        this.values = weights.values();
        int[] columns = weights.columns();
        this.pixelOffsets = new int[columns.length];
        for (int k = 0; k < columns.length; k++) {
            pixelOffsets[k] = layout.offset(columns[k]);
        }
        this.bias = bias;
        this.activation = activation;
        this.threading = threading;
        this.kernel = kernel;
        this.blocking = blocking;
    }

    /**
     * @param shape the convolution's geometry (any stride and padding)
     * @param weights {@code [outChannels, inChannels, kh, kw]} row-major; not modified (zeros are skipped)
     * @param bias {@code [outChannels]}, or null for none; not modified
     * @param activation applied to each output before it is stored
     * @param threading how blocks of output channels are spread over threads
     * @param instructions scalar or Vector API inner loop
     * @param blocking whether output channels are computed four at a time ({@link ChannelBlocking#AUTO}: where the
     *     blocks store at most {@link ChannelBlocking#AUTO_FILL_LIMIT} weights per non-zero)
     * @return the compiled convolution
     * @throws IllegalArgumentException if an array has the wrong length, an argument is null, or the
     *     instructions are not available in this JVM
     */
    public static BatchedConvolution of(ConvolutionShape shape, float[] weights, float[] bias,
                                        FusedActivation activation, KernelThreading threading,
                                        KernelInstructions instructions, ChannelBlocking blocking) {
        ConvolutionArguments checked = ConvolutionArguments.of(shape, weights, bias, activation, threading,
                instructions, blocking);
        CsrMatrix csr = checked.weights();
        float[] b = checked.bias();
        return new BatchedConvolution(shape, csr, b, activation, threading, instructions.kernel(), blocking);
    }

    /** @return the geometry */
    public ConvolutionShape shape() {
        return shape;
    }

    /**
     * Computes {@code activation(convolution + residual)} of a batch.
     *
     * @param input {@code [batch, inChannels, inHeight, inWidth]} row-major; not modified
     * @param batch number of images, &ge; 1
     * @param output {@code [batch, outChannels, outHeight, outWidth]} row-major; overwritten
     * @param residual null, or {@code [batch, outChannels, outHeight, outWidth]} added before the activation; not
     *     modified
     * @throws IllegalArgumentException if the batch is below 1 or an array has the wrong length
     */
    public void forward(float[] input, int batch, float[] output, float[] residual) {
        checkArrays(input, batch, output, residual);
        Scratch s = scratch.get();
        float[] source = s.source(batch, layout.size(batch));
        float[] interleaved = s.output(batch * shape.outputSize());
        int inTasks = Math.min(TASKS, shape.inChannels());
        threading.run(inTasks, (long) batch * shape.inputSize(), task -> layout.interleave(input, batch, source,
                task * shape.inChannels() / inTasks, (task + 1) * shape.inChannels() / inTasks));
        long work = (long) batch * values.length * shape.outHeight() * shape.outWidth();
        if (values.length == 0) {
            java.util.Arrays.fill(interleaved, 0f);
        } else {
            Plan plan = plans.computeIfAbsent(batch, this::plan);
            int units = (shape.outChannels() + ChannelBlocks.ROWS - 1) / ChannelBlocks.ROWS;
            int tasks = Math.min(TASKS, units);
            boolean relu = activation == FusedActivation.RELU && residual == null;
            threading.run(tasks, work, task -> channels(plan, source, batch, relu, interleaved,
                    Math.min(shape.outChannels(), task * units / tasks * ChannelBlocks.ROWS),
                    Math.min(shape.outChannels(), (task + 1) * units / tasks * ChannelBlocks.ROWS)));
        }
        boolean biasOnly = values.length == 0;
        int outTasks = Math.min(TASKS, shape.outChannels());
        threading.run(outTasks, (long) batch * shape.outputSize(), task -> store(interleaved, batch, residual, output,
                biasOnly, task * shape.outChannels() / outTasks, (task + 1) * shape.outChannels() / outTasks));
    }

    /** Output channels {@code [from, to)} of every output row into {@code [outChannels, outH, outW, batch]}. */
    private void channels(Plan plan, float[] source, int batch, boolean relu, float[] out, int from, int to) {
        int n = shape.outWidth() * batch;
        int plane = shape.outHeight() * n;
        for (int y = 0; y < shape.outHeight(); y++) {
            int sourceBase = layout.rowOffset(y) * batch;
            int outBase = y * n;
            if (plan.blocks == null) {
                kernel.rows(values, plan.offsets, rowStart, from, to, source, sourceBase, bias, relu, null, 0, out,
                        outBase, plane, n);
                continue;
            }
            int rows = ChannelBlocks.ROWS;
            int blockFrom = (from + rows - 1) / rows;
            int blockTo = Math.min(plan.blocks.blocks(), to / rows);
            kernel.blocks(plan.blocks.values(), plan.blocks.offsets(), plan.blocks.blockStart(), blockFrom, blockTo,
                    source, sourceBase, bias, relu, null, 0, out, outBase, plane, n);
            kernel.rows(values, plan.offsets, rowStart, Math.max(from, rows * blockTo), to, source, sourceBase, bias,
                    relu, null, 0, out, outBase, plane, n);
        }
    }

    /**
     * Transposes output channels {@code [from, to)} from {@code [outChannels, plane, batch]} to NCHW, adding the
     * residual and applying the activation when there is a residual (else the kernel applied it) or no kernel ran.
     */
    private void store(float[] interleaved, int batch, float[] residual, float[] output, boolean biasOnly, int from,
                       int to) {
        int plane = shape.outHeight() * shape.outWidth();
        int outSize = shape.outputSize();
        boolean relu = activation == FusedActivation.RELU && (residual != null || biasOnly);
        // image by image within a channel: the writes are contiguous and the strided reads stay within one
        // channel's interleaved block (plane * batch floats); see BatchLayout.interleave for the other order
        for (int c = from; c < to; c++) {
            float b = biasOnly ? bias[c] : 0f;
            for (int i = 0; i < batch; i++) {
                int o = i * outSize + c * plane;
                int at = c * plane * batch + i;
                for (int p = 0; p < plane; p++) {
                    float v = interleaved[at + p * batch] + b;
                    if (residual != null) {
                        v += residual[o + p];
                    }
                    output[o + p] = relu ? Math.max(v, 0f) : v;
                }
            }
        }
    }

    private Plan plan(int batch) {
        int[] offsets = new int[pixelOffsets.length];
        for (int k = 0; k < offsets.length; k++) {
            offsets[k] = pixelOffsets[k] * batch;
        }
        ChannelBlocks blocks = null;
        if (blocking != ChannelBlocking.NEVER && shape.outChannels() >= ChannelBlocks.ROWS) {
            ChannelBlocks grouped = ChannelBlocks.of(weights, column -> layout.offset(column) * batch);
            // the run here is the whole output row of the batch, so AUTO decides by the blocks' fill alone
            blocks = blocking.uses(grouped.fill(), Integer.MAX_VALUE) ? grouped : null;
        }
        return new Plan(offsets, blocks);
    }

    /**
     * @param offsets each non-zero's source offset at this batch size
     * @param blocks the channel blocks, or null to compute channels one at a time
     */
    private record Plan(int[] offsets, ChannelBlocks blocks) {
    }

    /** One calling thread's buffers, kept for its last batch size (the source's zero borders stay zero). */
    private static final class Scratch {
        private int batch;
        private float[] source = new float[0];
        private float[] output = new float[0];

        float[] source(int batchSize, int size) {
            if (batchSize != batch || source.length != size) {
                source = new float[size];
                batch = batchSize;
            }
            return source;
        }

        float[] output(int size) {
            if (output.length != size) {
                output = new float[size];
            }
            return output;
        }
    }

    private void checkArrays(float[] input, int batch, float[] output, float[] residual) {
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
        if (residual != null && residual.length != outLength) {
            throw new IllegalArgumentException("residual must have the output's length " + outLength + ", got "
                    + residual.length);
        }
    }

    @Override
    public String toString() {
        return "BatchedConvolution[" + shape + ", density=" + weights.density() + "]";
    }
}
