package org.rpg4j.sparse.kernel;

import java.util.Arrays;

/**
 * A 2-D convolution (dilation 1, one group) with sparse weights on dense NCHW activations, for
 * inference. The weights are kept as CSR over {@code [outChannels, inChannels * kh * kw]}; each
 * non-zero multiplies one contiguous run of the prepared input ({@link ConvolutionLayout}), so the work
 * is proportional to the number of non-zeros. Images are spread over threads when the batch has more
 * than one; a single image is split into blocks of output channels. Thread-safe: each thread keeps
 * its own scratch buffers (the padded or patch copy of an image), allocated once and reused by every
 * later image and call on that thread, so a convolution allocates nothing per image. A stride-1
 * convolution also reads its input already padded ({@link #inputLayout()}) and writes its output
 * straight into the next convolution's padded layout ({@link #writesLayout}), and adds a residual term
 * before the activation as it stores. Dense and moderately sparse layers compute four output channels at a
 * time ({@link ChannelBlocking}), so that each source vector loaded feeds four multiply-adds.
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
    /** Per-thread buffers: the prepared source of one image and its output channels at padded width. */
    private final ThreadLocal<Scratch> scratch;
    /** The PADDED source as a layout the input may already be stored in, or null. */
    private final PlaneLayout sourceLayout;
    /** The output channels in blocks of four sharing their taps, or null to compute them one at a time. */
    private final ChannelBlocks blocks;

    private SparseConvolution(ConvolutionShape shape, CsrMatrix weights, float[] bias, FusedActivation activation,
                              KernelThreading threading, RowKernel kernel, ChannelBlocking blocking) {
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
        // the direct path when its products cost less than copying the image into the prepared source
        long tapProducts = (long) values.length * shape.outHeight() * shape.outWidth();
        this.taps = layout != ConvolutionLayout.POINTWISE && tapProducts <= shape.inputSize()
                ? new ShiftedTaps(shape, weights) : null;
        this.sourceLayout = layout == ConvolutionLayout.PADDED && taps == null && values.length > 0
                ? ConvolutionLayout.sourceLayout(shape) : null;
        this.blocks = channelBlocks(blocking);
        int sourceSize = layout.sourceSize(shape);
        int accumulatorSize = !layout.plainRows(shape) ? layout.rowRun(shape) * (blocks != null
                ? blocks.rows() : 1) : 0;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(new float[sourceSize], new float[accumulatorSize]));
    }

    /**
     * @return the channel blocks when {@code blocking} uses them for these weights, else null: of
     *     {@link ChannelBlocks#WIDE_ROWS} rows where the channel count is a multiple of 5 and not of 4 and the kernel
     *     has wide blocks ({@link ChannelBlocks#rowsFor}), else of {@link ChannelBlocks#ROWS}
     */
    private ChannelBlocks channelBlocks(ChannelBlocking blocking) {
        int rows = ChannelBlocks.rowsFor(shape.outChannels(), kernel.hasWideBlocks());
        if (blocking == ChannelBlocking.NEVER || taps != null || values.length == 0 || shape.outChannels() < rows) {
            return null;
        }
        ChannelBlocks grouped = ChannelBlocks.of(weights, column -> layout.offset(shape, column), rows);
        return blocking.uses(grouped.fill(), layout.rowRun(shape)) ? grouped : null;
    }

    /**
     * One thread's working memory, allocated on the thread's first call and kept with the convolution.
     *
     * @param source the prepared source of one image ({@link ConvolutionLayout#sourceSize})
     * @param accumulator one output channel, or one block of {@link ChannelBlocks#rows()}, at padded width
     *     ({@link ConvolutionLayout#rowRun} each; PADDED only)
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
     * @return the compiled convolution, with {@link ChannelBlocking#AUTO}
     * @throws IllegalArgumentException if an array has the wrong length, an argument is null, or the
     *     instructions are not available in this JVM
     */
    public static SparseConvolution of(ConvolutionShape shape, float[] weights, float[] bias,
                                       FusedActivation activation, KernelThreading threading,
                                       KernelInstructions instructions) {
        return of(shape, weights, bias, activation, threading, instructions, ChannelBlocking.AUTO);
    }

    /**
     * @param shape the convolution's geometry
     * @param weights {@code [outChannels, inChannels, kh, kw]} row-major; not modified (zeros are skipped)
     * @param bias {@code [outChannels]}, or null for none; not modified
     * @param activation applied to each output before it is stored
     * @param threading how images or channel blocks are spread over threads
     * @param instructions scalar or Vector API inner loop
     * @param blocking whether output channels are computed four at a time (the same outputs with the Vector
     *     API; only the speed differs)
     * @return the compiled convolution
     * @throws IllegalArgumentException if an array has the wrong length, an argument is null, or the
     *     instructions are not available in this JVM
     */
    public static SparseConvolution of(ConvolutionShape shape, float[] weights, float[] bias,
                                       FusedActivation activation, KernelThreading threading,
                                       KernelInstructions instructions, ChannelBlocking blocking) {
        ConvolutionArguments checked = ConvolutionArguments.of(shape, weights, bias, activation, threading,
                instructions, blocking);
        CsrMatrix csr = checked.weights();
        float[] b = checked.bias();
        // the scalar loops' blocks were measured slower than their rows (docs/deployment.md): AUTO keeps them per row
        ChannelBlocking used = blocking == ChannelBlocking.AUTO && instructions == KernelInstructions.SCALAR
                ? ChannelBlocking.NEVER : blocking;
        return new SparseConvolution(shape, csr, b, activation, threading, instructions.kernel(), used);
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
        forward(input, null, batch, output, null);
    }

    /**
     * Computes the convolution of a batch whose input, output or both are stored with zero borders.
     *
     * @param input the batch, plain NCHW ({@code inputLayout} null) or in {@code inputLayout}
     *     ({@code [batch, inChannels, rows, rowWidth]}); not modified
     * @param inputLayout null, or {@link #inputLayout()}
     * @param batch number of images, &ge; 1
     * @param output plain NCHW ({@code outputLayout} null) or {@code [batch, outChannels, rows, rowWidth]};
     *     overwritten entirely (borders included)
     * @param outputLayout null, or a layout {@link #writesLayout} accepts
     * @throws IllegalArgumentException if the batch is below 1, an array has the wrong length, or a layout
     *     is not one this convolution reads or writes
     */
    public void forward(float[] input, PlaneLayout inputLayout, int batch, float[] output, PlaneLayout outputLayout) {
        forward(input, inputLayout, batch, output, outputLayout, null);
    }

    /**
     * Computes {@code activation(convolution + residual)} of a batch: a residual block's last convolution
     * with the shortcut added (and the ReLU after the join applied) as each output is stored, instead of
     * a separate pass over both arrays.
     *
     * @param input as for {@link #forward(float[], PlaneLayout, int, float[], PlaneLayout)}
     * @param inputLayout null, or {@link #inputLayout()}
     * @param batch number of images, &ge; 1
     * @param output as for {@link #forward(float[], PlaneLayout, int, float[], PlaneLayout)}
     * @param outputLayout null, or a layout {@link #writesLayout} accepts
     * @param residual null, or the term to add, in the output's layout and of its length; not modified
     * @throws IllegalArgumentException if the batch is below 1, an array has the wrong length, or a layout
     *     is not one this convolution reads or writes
     */
    public void forward(float[] input, PlaneLayout inputLayout, int batch, float[] output, PlaneLayout outputLayout,
                        float[] residual) {
        checkLayouts(inputLayout, outputLayout);
        int inSize = inputLayout == null ? shape.inputSize() : shape.inChannels() * inputLayout.planeSize();
        int outSize = outputLayout == null ? shape.outputSize() : shape.outChannels() * outputLayout.planeSize();
        checkArrays(input, inSize, batch, output, outSize);
        if (residual != null && residual.length != output.length) {
            throw new IllegalArgumentException("residual must have the output's length " + output.length + ", got "
                    + residual.length);
        }
        if (values.length == 0) {
            constantOutput(batch, output, residual);
            return;
        }
        if (taps != null) {
            long tapWork = (long) batch * values.length * shape.outHeight() * shape.outWidth();
            threading.run(batch, tapWork, image -> taps.image(bias, activation, input, image * shape.inputSize(),
                    residual, output, image * shape.outputSize()));
            return;
        }
        long work = (long) batch * values.length * layout.rowRun(shape);
        if (batch == 1) {
            float[] source = preparedSource(input, inputLayout, 0);
            int sourceBase = 0;
            forChannelTasks(work, (from, to) -> channels(source, sourceBase, residual, output, 0, outputLayout, from,
                    to));
        } else {
            threading.run(batch, work, image -> {
                int inputBase = image * inSize;
                float[] source = preparedSource(input, inputLayout, inputBase);
                int sourceBase = source == input ? inputBase : 0;
                channels(source, sourceBase, residual, output, image * outSize, outputLayout, 0,
                        shape.outChannels());
            });
        }
    }

    /**
     * @return true if {@link #forwardPooled} applies: the output is computed a channel (or channel block) at a time
     *     through an accumulator of padded-width rows ({@code PADDED} layout, not the shifted-taps path, some
     *     non-zeros), which the 2x2 pooling reads while it is still in the L1 cache
     */
    public boolean poolsOutput() {
        return layout == ConvolutionLayout.PADDED && taps == null && values.length > 0 && !layout.plainRows(shape)
                && shape.outHeight() >= 2 && shape.outWidth() >= 2;
    }

    /**
     * Computes the convolution of a batch followed by 2x2 max pooling with stride 2 ({@link MaxPool2x2}: an odd
     * last output row or column dropped), pooling each channel's accumulator rows as they are computed: the
     * convolution's full-size output is never stored (VGG's last convolution of each stage and the pooling after
     * it in one pass).
     *
     * @param input as for {@link #forward(float[], PlaneLayout, int, float[], PlaneLayout)}
     * @param inputLayout null, or {@link #inputLayout()}
     * @param batch number of images, &ge; 1
     * @param output {@code [batch, outChannels, outHeight / 2, outWidth / 2]} plain ({@code outputLayout} null) or
     *     {@code [batch, outChannels, rows, rowWidth]} in {@code outputLayout}; overwritten entirely (borders
     *     zeroed)
     * @param outputLayout null, or any layout of height {@code outHeight / 2} and width {@code outWidth / 2}
     * @throws IllegalStateException if {@link #poolsOutput()} is false
     * @throws IllegalArgumentException if the batch is below 1, an array has the wrong length, or a layout does not
     *     fit
     */
    public void forwardPooled(float[] input, PlaneLayout inputLayout, int batch, float[] output,
                              PlaneLayout outputLayout) {
        if (!poolsOutput()) {
            throw new IllegalStateException("forwardPooled needs poolsOutput() (a padded-rows kernel with some "
                    + "non-zeros and an output of at least 2x2): " + this);
        }
        int pooledHeight = shape.outHeight() / 2;
        int pooledWidth = shape.outWidth() / 2;
        if (outputLayout != null && (outputLayout.height() != pooledHeight || outputLayout.width() != pooledWidth)) {
            throw new IllegalArgumentException("outputLayout must be of the pooled size " + pooledHeight + "x"
                    + pooledWidth + ", got " + outputLayout);
        }
        checkLayouts(inputLayout, null);
        int inSize = inputLayout == null ? shape.inputSize() : shape.inChannels() * inputLayout.planeSize();
        int pooledPlane = outputLayout == null ? pooledHeight * pooledWidth : outputLayout.planeSize();
        int outSize = shape.outChannels() * pooledPlane;
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        if (input == null || input.length != (long) batch * inSize) {
            throw new IllegalArgumentException("input must have length " + (long) batch * inSize + ", got "
                    + (input == null ? "null" : input.length));
        }
        if (output == null || output.length != (long) batch * outSize) {
            throw new IllegalArgumentException("output must have length batch * outChannels * pooled plane = "
                    + (long) batch * outSize + ", got " + (output == null ? "null" : output.length));
        }
        long work = (long) batch * values.length * layout.rowRun(shape);
        if (batch == 1) {
            float[] source = preparedSource(input, inputLayout, 0);
            int sourceBase = 0;
            forChannelTasks(work, (from, to) -> pooledChannels(source, sourceBase, output, 0, outputLayout, from, to));
        } else {
            threading.run(batch, work, image -> {
                int inputBase = image * inSize;
                float[] source = preparedSource(input, inputLayout, inputBase);
                int sourceBase = source == input ? inputBase : 0;
                pooledChannels(source, sourceBase, output, image * outSize, outputLayout, 0, shape.outChannels());
            });
        }
    }

    /** Output channels {@code [from, to)} of one image through the accumulator, each pooled 2x2 into the output. */
    private void pooledChannels(float[] source, int sourceBase, float[] output, int outputBase,
                                PlaneLayout outputLayout, int from, int to) {
        int run = layout.rowRun(shape);
        int paddedWidth = layout.rowWidth(shape);
        boolean relu = activation == FusedActivation.RELU;
        int pooledWidth = shape.outWidth() / 2;
        int plane = outputLayout == null ? shape.outHeight() / 2 * pooledWidth : outputLayout.planeSize();
        int origin = outputLayout == null ? 0 : outputLayout.origin();
        int rowWidth = outputLayout == null ? pooledWidth : outputLayout.rowWidth();
        float[] acc = scratch.get().accumulator();
        for (int o = from; o < to;) {
            int count = blockAt(o, to) ? blocks.rows() : 1;
            products(source, sourceBase, relu, null, 0, acc, -o * run, run, o, o + count);
            for (int c = o; c < o + count; c++) {
                int planeBase = outputBase + c * plane;
                MaxPool2x2.plane(acc, (c - o) * run, paddedWidth, shape.outHeight(), shape.outWidth(), output,
                        planeBase + origin, rowWidth);
                if (outputLayout != null) {
                    MaxPool2x2.clearBorder(output, planeBase, outputLayout);
                }
            }
            o += count;
        }
    }

    /**
     * @return the layout of the padded copy this convolution reads, when its input may be handed over
     *     already in it ({@link #forward(float[], PlaneLayout, int, float[], PlaneLayout)}); null when the
     *     convolution reads plain NCHW (1x1 stride 1, other strides, very few or no non-zeros)
     */
    public PlaneLayout inputLayout() {
        return sourceLayout;
    }

    /**
     * @param stored a layout the input could be stored in, or null
     * @return true if {@link #forward(float[], PlaneLayout, int, float[], PlaneLayout)} accepts the input in
     *     {@code stored}: {@link #inputLayout()}, or for a strided convolution (whose phase planes are gathered
     *     from the input) any layout of the input's height and width
     */
    public boolean readsLayout(PlaneLayout stored) {
        if (stored == null) {
            return false;
        }
        if (stored == sourceLayout || stored.equals(sourceLayout)) {
            return true;
        }
        return layout == ConvolutionLayout.PHASES && taps == null && values.length > 0 && stored.height() == shape
                .inHeight() && stored.width() == shape.inWidth();
    }

    /**
     * @param target a layout the output could be stored in, or null
     * @return true if this convolution writes its output straight into {@code target}: a stride-1
     *     convolution whose padded-width rows have {@code target}'s row width, so the {@code kw - 1}
     *     extra columns of each output row land in the target's border (and are zeroed after)
     */
    public boolean writesLayout(PlaneLayout target) {
        int wp = layout.rowWidth(shape);
        return target != null && layout == ConvolutionLayout.PADDED && taps == null && values.length > 0
                && target.height() == shape.outHeight() && target.width() == shape.outWidth()
                && target.rowWidth() == wp
                && target.origin() + (long) shape.outHeight() * wp <= target.planeSize();
    }

    /**
     * @return the image's prepared source: the input itself (POINTWISE, or already in the source layout)
     *     or this thread's scratch buffer, reused across images and calls (PADDED writes the same interior
     *     positions every time, so the zero border written once stays zero; so does PHASES)
     */
    private float[] preparedSource(float[] input, PlaneLayout inputLayout, int inputBase) {
        if (layout == ConvolutionLayout.POINTWISE || inputLayout != null && layout != ConvolutionLayout.PHASES) {
            return input;
        }
        float[] source = scratch.get().source();
        if (inputLayout != null) {
            layout.preparePhases(shape, input, inputBase, inputLayout, source);
            return source;
        }
        layout.prepare(shape, input, inputBase, source);
        return source;
    }

    /** No non-zero weight: every output is the activation of its channel's bias (plus the residual). */
    private void constantOutput(int batch, float[] output, float[] residual) {
        int plane = shape.outHeight() * shape.outWidth();
        for (int image = 0; image < batch; image++) {
            for (int o = 0; o < shape.outChannels(); o++) {
                int base = image * shape.outputSize() + o * plane;
                Arrays.fill(output, base, base + plane, bias[o]);
                addResidual(residual, output, base, plane);
                activation.applyInPlace(output, base, plane);
            }
        }
    }

    /** {@code values[base, base + length) += residual[base, base + length)}, unless residual is null. */
    static void addResidual(float[] residual, float[] values, int base, int length) {
        if (residual != null) {
            for (int i = base; i < base + length; i++) {
                values[i] += residual[i];
            }
        }
    }

    /**
     * Output channels {@code [from, to)} of one image, plain NCHW or in {@code outputLayout}, with the
     * residual (in the output's layout, or null) added before the activation.
     */
    private void channels(float[] source, int sourceBase, float[] residual, float[] output, int outputBase,
                          PlaneLayout outputLayout, int from, int to) {
        int run = layout.rowRun(shape);
        boolean relu = activation == FusedActivation.RELU;
        if (layout.plainRows(shape)) {
            products(source, sourceBase, relu, residual, outputBase, output, outputBase, run, from, to);
        } else if (outputLayout != null) {
            int plane = outputLayout.planeSize();
            int origin = outputBase + outputLayout.origin();
            products(source, sourceBase, relu, residual, origin, output, origin, plane, from, to);
            clearBorders(output, outputBase, from, to, outputLayout);
        } else {
            // one channel (or block of channels) at a time through an accumulator that stays in the L1 cache
            float[] acc = scratch.get().accumulator();
            int plane = shape.outHeight() * shape.outWidth();
            for (int o = from; o < to;) {
                int count = blockAt(o, to) ? blocks.rows() : 1;
                products(source, sourceBase, relu && residual == null, null, 0, acc, -o * run, run, o, o + count);
                for (int c = o; c < o + count; c++) {
                    dropPaddingColumns(acc, (c - o) * run, output, outputBase + c * plane);
                    if (residual != null) {
                        addResidual(residual, output, outputBase + c * plane, plane);
                        activation.applyInPlace(output, outputBase + c * plane, plane);
                    }
                }
                o += count;
            }
        }
    }

    /** A range {@code [from, to)} of output channels. */
    private interface ChannelRange {
        void run(int from, int to);
    }

    /**
     * Splits the output channels into at most {@link #CHANNEL_BLOCKS} tasks of whole channel blocks (of one
     * channel without blocks) and runs them under the threading.
     *
     * @param work multiply-adds of the whole call
     * @param range the work of one task's channels
     */
    private void forChannelTasks(long work, ChannelRange range) {
        int unit = blocks != null ? blocks.rows() : 1;
        int channels = shape.outChannels();
        int units = (channels + unit - 1) / unit;
        int tasks = Math.min(CHANNEL_BLOCKS, units);
        threading.run(tasks, work, task -> range.run(Math.min(channels, task * units / tasks * unit),
                Math.min(channels, (task + 1) * units / tasks * unit)));
    }

    /** @return true if a whole channel block starts at channel {@code o} and ends by {@code to} */
    private boolean blockAt(int o, int to) {
        return blocks != null && o % blocks.rows() == 0 && o + blocks.rows() <= to
                && o / blocks.rows() < blocks.blocks();
    }

    /**
     * The kernel's rows {@code [from, to)} (as {@link RowKernel#rows}): the whole channel blocks among them
     * through the block kernel (of four or of five rows), the other channels one at a time.
     */
    private void products(float[] source, int sourceBase, boolean relu, float[] residual, int residualBase,
                          float[] out, int outBase, int outStride, int from, int to) {
        int run = layout.rowRun(shape);
        int rows = blocks == null ? ChannelBlocks.ROWS : blocks.rows();
        int blockFrom = blocks == null ? 0 : (from + rows - 1) / rows;
        int blockTo = blocks == null ? 0 : Math.min(blocks.blocks(), to / rows);
        if (blockFrom >= blockTo) {
            kernel.rows(values, offsets, rowStart, from, to, source, sourceBase, bias, relu, residual, residualBase,
                    out, outBase, outStride, run);
            return;
        }
        kernel.rows(values, offsets, rowStart, from, rows * blockFrom, source, sourceBase, bias, relu, residual,
                residualBase, out, outBase, outStride, run);
        if (rows == ChannelBlocks.WIDE_ROWS) {
            kernel.wideBlocks(blocks.values(), blocks.offsets(), blocks.blockStart(), blockFrom, blockTo, source,
                    sourceBase, bias, relu, residual, residualBase, out, outBase, outStride, run);
        } else {
            kernel.blocks(blocks.values(), blocks.offsets(), blocks.blockStart(), blockFrom, blockTo, source,
                    sourceBase, bias, relu, residual, residualBase, out, outBase, outStride, run);
        }
        kernel.rows(values, offsets, rowStart, rows * blockTo, to, source, sourceBase, bias, relu, residual,
                residualBase, out, outBase, outStride, run);
    }

    /** @return true if some output channels are computed in blocks of four */
    boolean usesChannelBlocks() {
        return blocks != null;
    }

    /** @return rows per channel block (4, or 5 for wide blocks), 0 without blocks */
    int channelBlockRows() {
        return blocks == null ? 0 : blocks.rows();
    }

    /**
     * Zeroes what is not the image in output planes {@code [from, to)} written at padded width into {@code target}:
     * the rows above the first plane's image, each row's {@code kw - 1} computed extra columns (which fall on the
     * right and the next row's left border), and from each plane's last row to the next plane's first (one fill:
     * the plane's rows below and the next plane's rows above; a fill call per border was 2-3 % of a 70 %-shrunk
     * ResNet-56 call at batch 1, JFR).
     */
    private void clearBorders(float[] output, int outputBase, int from, int to, PlaneLayout target) {
        int wp = target.rowWidth();
        int plane = target.planeSize();
        int first = outputBase + from * plane;
        Arrays.fill(output, first, first + target.origin(), 0f);
        int extraColumns = wp - shape.outWidth();
        for (int o = from; o < to; o++) {
            int planeBase = outputBase + o * plane;
            int start = planeBase + target.origin();
            int end = start + shape.outHeight() * wp;
            if (extraColumns == 2) {
                // a 3x3 layer's two values per row as two stores: the general loop below, with its trip count
                // unknown to the JIT, took 6-8 % of a 5-20-channel ResNet-56 call at batch 1 (one thread, JFR)
                for (int extra = start + shape.outWidth(); extra < end; extra += wp) {
                    output[extra] = 0f;
                    output[extra + 1] = 0f;
                }
            } else {
                for (int extra = start + shape.outWidth(); extra < end; extra += wp) {
                    // kw - 1 values per row: a plain loop, cheaper than a fill call per row
                    for (int x = 0; x < extraColumns; x++) {
                        output[extra + x] = 0f;
                    }
                }
            }
            Arrays.fill(output, end, o + 1 < to ? planeBase + plane + target.origin() : planeBase + plane, 0f);
        }
    }

    private void dropPaddingColumns(float[] acc, int accBase, float[] output, int outBase) {
        int width = shape.outWidth();
        int paddedWidth = layout.rowWidth(shape);
        for (int y = 0; y < shape.outHeight(); y++) {
            System.arraycopy(acc, accBase + y * paddedWidth, output, outBase + y * width, width);
        }
    }

    private void checkLayouts(PlaneLayout inputLayout, PlaneLayout outputLayout) {
        if (inputLayout != null && !readsLayout(inputLayout)) {
            throw new IllegalArgumentException("inputLayout must be null or one readsLayout accepts (inputLayout() = "
                    + sourceLayout + "), got " + inputLayout);
        }
        if (outputLayout != null && !writesLayout(outputLayout)) {
            throw new IllegalArgumentException("outputLayout " + outputLayout + " cannot be written by " + this
                    + "; check writesLayout first");
        }
    }

    private void checkArrays(float[] input, int inSize, int batch, float[] output, int outSize) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        long inLength = (long) batch * inSize;
        long outLength = (long) batch * outSize;
        if (input == null || input.length != inLength) {
            String size = inSize == shape.inputSize() ? "inChannels * inHeight * inWidth" : "inChannels * planeSize";
            throw new IllegalArgumentException("input must have length batch * " + size + " = " + inLength + ", got "
                    + (input == null ? "null" : input.length));
        }
        if (output == null || output.length != outLength) {
            String size = outSize == shape.outputSize() ? "outChannels * outHeight * outWidth"
                    : "outChannels * planeSize";
            throw new IllegalArgumentException("output must have length batch * " + size + " = " + outLength
                    + ", got " + (output == null ? "null" : output.length));
        }
    }

    @Override
    public String toString() {
        return "SparseConvolution[" + shape + ", " + (taps != null ? "shifted taps" : layout) + ", density=" + weights
                .density() + (blocks != null ? ", channel blocks of " + blocks.rows() : "") + ", bias="
                + (bias.length <= 4 ? Arrays.toString(bias) : "[" + bias.length + "]") + "]";
    }
}
