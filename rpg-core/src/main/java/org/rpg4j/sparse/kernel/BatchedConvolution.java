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
 * the activation in that pass. Output channels are spread over threads. Where the source one output row reads
 * is larger than the cache ({@link SourceTiling}: 256 channels at 8x8, 128 at 16x16), each row is summed in tiles
 * of input channels and {@link #TILE_RUN} output floats that stay in the cache while every output channel reads
 * them, the partial sums kept in the output between tiles; then tasks are output rows (with groups of output
 * channels). Thread-safe: the interleaved buffers are per calling thread and per batch size.
 */
public final class BatchedConvolution {

    /** Tasks a call's output channels are split into (whole channel blocks). */
    private static final int TASKS = 16;
    /**
     * Floats of one output row's run a source tile covers: 8 AVX-512 vectors, 4 pixels at batch 32 (16 vectors
     * measured slower).
     */
    static final int TILE_RUN = 128;
    /**
     * Source floats a tile's taps read at most ({@code tileChannels * kh * kw * TILE_RUN}, 64 KB): its input
     * channels are chosen to fit (16 K floats measured faster than 4 K and 128 K at 8x8 and 16x16).
     */
    static final int TILE_FLOATS = 1 << 14;
    /**
     * Index of the interleaved source's (and output's) first float in its array: 12 floats, so that with G1 the
     * layout starts on a 64-byte boundary. Both arrays are large enough (over half a G1 region, 512 KB at the
     * 1 MB regions of heaps below 2 GB) to be humongous objects, which G1 places at the start of a region and
     * never moves, behind the 16-byte array header; then every run (a multiple of 16 floats at batch 32) is
     * aligned and no AVX-512 load crosses a cache line (measured 1.3-3x faster than at origin 0; at another
     * alignment the results are the same, only slower).
     */
    static final int ORIGIN = 12;

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
    private final SourceTiling tiling;
    /** Input channels per tile. */
    private final int tileChannels;
    /** Tiles of input channels. */
    private final int channelTiles;
    /**
     * Per output channel {@code r} and tile {@code j}, the first non-zero of the tile's input channels:
     * {@code tileStart[r * (channelTiles + 1) + j]}; the last of each row is the row's end.
     */
    private final int[] tileStart;
    /** Per batch size: the weights' source offsets and channel blocks for that interleaving. */
    private final Map<Integer, Plan> plans = new ConcurrentHashMap<>();
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    private BatchedConvolution(ConvolutionShape shape, CsrMatrix weights, float[] bias, FusedActivation activation,
                               KernelThreading threading, RowKernel kernel, ChannelBlocking blocking,
                               SourceTiling tiling) {
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
        this.tiling = tiling;
        int perChannel = shape.kernelHeight() * shape.kernelWidth() * TILE_RUN;
        this.tileChannels = Math.max(1, Math.min(shape.inChannels(), TILE_FLOATS / perChannel));
        this.channelTiles = (shape.inChannels() + tileChannels - 1) / tileChannels;
        this.tileStart = tileStarts(weights, shape.kernelHeight() * shape.kernelWidth() * tileChannels,
                channelTiles);
    }

    /** @return each row's first non-zero at or after column {@code j * tileColumns}, {@code j in [0, tiles]} */
    private static int[] tileStarts(CsrMatrix weights, int tileColumns, int tiles) {
        int[] rowStart = weights.rowStarts();
        int[] columns = weights.columns();
        int[] starts = new int[weights.rows() * (tiles + 1)];
        for (int r = 0; r < weights.rows(); r++) {
            int k = rowStart[r];
            for (int j = 0; j < tiles; j++) {
                while (k < rowStart[r + 1] && columns[k] < (long) j * tileColumns) {
                    k++;
                }
                starts[r * (tiles + 1) + j] = k;
            }
            starts[r * (tiles + 1) + tiles] = rowStart[r + 1];
        }
        return starts;
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
     * @return the compiled convolution, tiled where {@link SourceTiling#AUTO} tiles
     * @throws IllegalArgumentException if an array has the wrong length, an argument is null, or the
     *     instructions are not available in this JVM
     */
    public static BatchedConvolution of(ConvolutionShape shape, float[] weights, float[] bias,
                                        FusedActivation activation, KernelThreading threading,
                                        KernelInstructions instructions, ChannelBlocking blocking) {
        return of(shape, weights, bias, activation, threading, instructions, blocking, SourceTiling.AUTO);
    }

    /**
     * @param shape the convolution's geometry (any stride and padding)
     * @param weights {@code [outChannels, inChannels, kh, kw]} row-major; not modified (zeros are skipped)
     * @param bias {@code [outChannels]}, or null for none; not modified
     * @param activation applied to each output before it is stored
     * @param threading how blocks of output channels (or, tiled, output rows) are spread over threads
     * @param instructions scalar or Vector API inner loop
     * @param blocking whether output channels are computed four at a time where the source is not tiled (see
     *     {@link #of(ConvolutionShape, float[], float[], FusedActivation, KernelThreading, KernelInstructions,
     *     ChannelBlocking)}); tiles compute one channel at a time
     * @param tiling whether each output row is summed in cache-sized tiles of input channels and output positions
     * @return the compiled convolution
     * @throws IllegalArgumentException if an array has the wrong length, an argument is null, or the
     *     instructions are not available in this JVM
     */
    public static BatchedConvolution of(ConvolutionShape shape, float[] weights, float[] bias,
                                        FusedActivation activation, KernelThreading threading,
                                        KernelInstructions instructions, ChannelBlocking blocking,
                                        SourceTiling tiling) {
        ConvolutionArguments checked = ConvolutionArguments.of(shape, weights, bias, activation, threading,
                instructions, blocking);
        if (tiling == null) {
            throw new IllegalArgumentException("tiling must not be null");
        }
        CsrMatrix csr = checked.weights();
        float[] b = checked.bias();
        return new BatchedConvolution(shape, csr, b, activation, threading, instructions.kernel(), blocking,
                tiling);
    }

    /** @return the tiles of input channels a tiled call sums over (1 when all input channels fit one tile) */
    int channelTiles() {
        return channelTiles;
    }

    /**
     * @param batch the batch size
     * @return true if a call with this batch size sums in tiles ({@link SourceTiling})
     */
    public boolean tiled(int batch) {
        long rowFloats = (long) shape.inChannels() * shape.kernelHeight() * layout.rowOffset(1) * batch;
        return tiling.uses(rowFloats, shape.outWidth() * batch, weights.density());
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
        shape.checkBatchArrays(input, batch, output, residual);
        Scratch s = scratch.get();
        float[] source = s.source(batch, layout.size(batch));
        float[] interleaved = s.output(ORIGIN + batch * shape.outputSize());
        int inTasks = Math.min(TASKS, shape.inChannels());
        threading.run(inTasks, (long) batch * shape.inputSize(), task -> layout.interleave(input, batch, source,
                ORIGIN, task * shape.inChannels() / inTasks, (task + 1) * shape.inChannels() / inTasks));
        long work = (long) batch * values.length * shape.outHeight() * shape.outWidth();
        if (values.length == 0) {
            java.util.Arrays.fill(interleaved, 0f);
        } else if (tiled(batch)) {
            Plan plan = plans.computeIfAbsent(batch, this::plan);
            int rows = shape.outHeight();
            int groups = Math.max(1, Math.min(shape.outChannels(), (TASKS + rows - 1) / rows));
            boolean relu = activation == FusedActivation.RELU && residual == null;
            threading.run(rows * groups, work, task -> tiles(plan, source, batch, relu, interleaved, task / groups,
                    task % groups * shape.outChannels() / groups, (task % groups + 1) * shape.outChannels()
                            / groups));
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
            int sourceBase = ORIGIN + layout.rowOffset(y) * batch;
            int outBase = ORIGIN + y * n;
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
     * Output row {@code y} of output channels {@code [from, to)} into {@code [outChannels, outH, outW, batch]}, tile
     * by tile: for each run of {@link #TILE_RUN} floats of the row and each tile of {@link #tileChannels} input
     * channels, every channel adds the tile's non-zeros to its partial sums, so the few hundred KB of source a tile
     * reads stay in the cache while all channels read them.
     */
    private void tiles(Plan plan, float[] source, int batch, boolean relu, float[] out, int y, int from, int to) {
        int n = shape.outWidth() * batch;
        int plane = shape.outHeight() * n;
        int sourceBase = ORIGIN + layout.rowOffset(y) * batch;
        int stride = channelTiles + 1;
        for (int i = 0; i < n; i += TILE_RUN) {
            int run = Math.min(TILE_RUN, n - i);
            int o = ORIGIN + y * n + i;
            for (int j = 0; j < channelTiles; j++) {
                boolean last = j == channelTiles - 1;
                for (int r = from; r < to; r++) {
                    kernel.partial(values, plan.offsets, tileStart[r * stride + j], tileStart[r * stride + j + 1],
                            source, sourceBase + i, bias[r], j == 0, relu && last, out, o + r * plane, run);
                }
            }
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
                int at = ORIGIN + c * plane * batch + i;
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
            if (batchSize != batch || source.length != ORIGIN + size) {
                source = new float[ORIGIN + size];
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

    @Override
    public String toString() {
        return "BatchedConvolution[" + shape + ", density=" + weights.density() + ", tiling=" + tiling + "]";
    }
}
