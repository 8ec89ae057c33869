package org.rpg4j.dl4j.deploy.runner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.rpg4j.dl4j.layers.onednn.ActivationLayout;
import org.rpg4j.dl4j.layers.onednn.OneDnn;
import org.rpg4j.sparse.kernel.BatchedConvolution;
import org.rpg4j.sparse.kernel.CallThreads;
import org.rpg4j.sparse.kernel.ConvolutionShape;
import org.rpg4j.sparse.kernel.FusedActivation;
import org.rpg4j.sparse.kernel.KernelThreading;
import org.rpg4j.sparse.kernel.PlaneLayout;
import org.rpg4j.sparse.kernel.SparseConvolution;

/**
 * A 2-D convolution (batch norm already folded into its weights and bias, ReLU or identity fused),
 * on NCHW input {@code [batch, in, h, w]}: sparse via {@link SparseConvolution}, dense via oneDNN called directly
 * ({@link DirectConvolution}) or else libnd4j's
 * {@code conv2d} op (oneDNN with the {@code -onednn} classifier) with the same folded weights. With a
 * residual input (a ResNet block's last convolution and the add after it, compiled as one step) the
 * step's second input is added before the activation. Within the sparse kernel, small planes may run the batched
 * kernel ({@link BatchedCandidate}, batch 8 and more) or the channel-vector one ({@link SmallPlaneCandidate}, smaller
 * batches), each where timed faster than the per-image kernel.
 */
final class ConvolutionStep extends CalibratedStep {

    /**
     * Non-zero multiply-adds per call from which calibration first times the sparse kernel on a slice of the batch
     * ({@link #sparseProbe}); below it the full run is cheap (about 1-2 ms at the kernel's 4-9 GMAC/s of
     * non-zero work on 2 threads).
     */
    static final long PROBED_MACS = 8_000_000L;
    /**
     * Non-zero multiply-adds a slice aims at (whole images, at least two): enough that the kernel's fixed cost per
     * call (tens of us) is small beside it, little beside the layers where the Java kernel loses by 10-60x (VGG-19's
     * 512-channel layers at 2x2-4x4 planes, where a slice of 1/8 of the work cost 3-7x the dense run).
     */
    static final long SLICE_MACS = 2_000_000L;
    /**
     * Non-zero multiply-adds per call from which calibration first times the sparse kernel on a slice of the batch
     * where the batched kernel is a candidate ({@link #batchedProbe}): a full Java run of that much work takes tens
     * of ms or more (dense VGG-19's 256- and 512-channel layers at batch 64, 2.4 G multiply-adds, 50-80 ms on
     * oneDNN and several times that on the Java kernels). Below it the full runs are timed as before, e.g. the
     * dense ResNet-56 at batch 64 (151 M). Only for layers at least {@link #BATCHED_PROBED_DENSITY} dense.
     */
    static final long BATCHED_PROBED_MACS = 200_000_000L;
    /**
     * Weight density from which a layer of at least {@link #BATCHED_PROBED_MACS} is sliced for the batched kernel:
     * the dense layers, where the Java kernels lose by 2-20x and a rough prediction decides. The pruned layers race
     * on full runs: the RPG-pruned VGG-19 at batch 32 has layers of 200-800 M non-zero multiply-adds at density
     * 0.20-0.73, where the tiled kernel and oneDNN are within 0.5-1.3x of each other, and there the slices of 16
     * images predicted the batched kernel 2-2.5x slower than oneDNN (conv2_1-conv2_3 at 95 %: 22.5-28.8 ms against
     * 11.0-11.6 ms; idle, session 12), so those layers ran oneDNN, unrechecked, where the full tiled runs had won.
     */
    static final double BATCHED_PROBED_DENSITY = 0.9;
    /**
     * Images of a slice where the batched kernel is a candidate: {@link BatchedCandidate#MIN_BATCH} twice, one
     * AVX-512 vector of floats per pixel (fewer images leave its vectors part empty, more would cost more), so
     * probed from batch 32 (the slice at most half the batch).
     */
    static final int BATCHED_SLICE_IMAGES = 2 * BatchedCandidate.MIN_BATCH;
    /**
     * Batch size from which a dense convolution made with every step on the calling thread runs its one oneDNN call
     * on the runner's thread count of OpenMP threads ({@link #unsplitThreads}); below it on one (at batch 1 the
     * whole calls on one thread were the fastest, docs/structured.md session 11).
     */
    static final int OPENMP_BATCH = 8;
    /** Dense multiply-adds per call from which {@link #unsplitThreads} gives oneDNN more than one thread. */
    static final long OPENMP_MACS = 8_000_000L;
    private final ConvolutionSpec spec;
    private final float[] weights;
    private final float[] bias;
    private final FusedActivation activation;
    private final RunnerOptions options;
    private final INDArray weightArray;
    private final INDArray biasArray;
    private final Map<Long, SparseConvolution> sparseBySize = new HashMap<>();
    /** The input plane size ({@code height << 32 | width}) of {@link #lastSparse}. */
    private long lastSparseKey;
    /** The sparse kernel {@link #sparse} returned last, or null. */
    private SparseConvolution lastSparse;
    /** The plan of {@link #runPerImage}'s last call ({@link #perImagePlan}), or null. */
    private PerImagePlan lastPlan;
    private final List<Step> readers = new ArrayList<>();
    /** Batch sizes at which the calibration sliced this layer for the batched kernel ({@link #batchedProbe}). */
    private final java.util.Set<Integer> slicedBatches = new java.util.HashSet<>();
    private final boolean residual;
    private final List<OpContext> contexts = new ArrayList<>();
    /** Per batch size, the dense kernel's output array, reused at every call ({@link #denseOutput}). */
    private final Map<Long, INDArray> denseOutputs = new HashMap<>();
    /** Per batch size and argument, the array a Java input or residual is copied into for the dense kernel. */
    private final Map<Long, INDArray> convertedInputs = new HashMap<>();
    private boolean outputLeaves;
    private ArrayPool pool;
    /** The batch-interleaved sparse kernel, tried on small planes at larger batches. */
    private final BatchedCandidate batched;
    /** The dense kernel's direct oneDNN path (else libnd4j's {@code conv2d}). */
    private final DirectConvolution direct;
    /** The channel-vector kernel, tried on small planes at small batches. */
    private final SmallPlaneCandidate smallPlane;

    /**
     * @param name the layer name
     * @param spec the geometry
     * @param weights folded {@code [out, in, kh, kw]} row-major; kept
     * @param bias folded {@code [out]}; kept
     * @param activation fused activation
     * @param fusedSuffix what was folded or fused, for the report (e.g. {@code " +bn +relu"})
     * @param options runner options
     */
    ConvolutionStep(String name, ConvolutionSpec spec, float[] weights, float[] bias, FusedActivation activation,
                    String fusedSuffix, RunnerOptions options) {
        this(name, spec, weights, bias, activation, fusedSuffix, options, false);
    }

    /**
     * @param name the layer name
     * @param spec the geometry
     * @param weights folded {@code [out, in, kh, kw]} row-major; kept
     * @param bias folded {@code [out]}; kept
     * @param activation fused activation (after the residual term)
     * @param fusedSuffix what was folded or fused, for the report (e.g. {@code " +bn +add +relu"})
     * @param options runner options
     * @param residual true if the step's second input, of the output's shape, is added before the activation
     */
    ConvolutionStep(String name, ConvolutionSpec spec, float[] weights, float[] bias, FusedActivation activation,
                    String fusedSuffix, RunnerOptions options, boolean residual) {
        super(name, spec + fusedSuffix, density(weights), options, !spec.dilated());
        this.residual = residual;
        this.spec = spec;
        this.weights = weights;
        this.bias = bias;
        this.activation = activation;
        this.options = options;
        this.weightArray = Nd4j.create(weights, new long[] {spec.outChannels(), spec.inChannels(), spec.kernel()[0],
                spec.kernel()[1]}, 'c');
        this.biasArray = Nd4j.create(bias, new long[] {spec.outChannels()}, 'c');
        this.batched = new BatchedCandidate(name, weights, bias, activation, options.threading());
        this.direct = new DirectConvolution(spec, weights, bias, activation == FusedActivation.RELU, residual);
        this.smallPlane = new SmallPlaneCandidate(name, weights, bias, activation, density(weights));
    }

    @Override
    void checkInput(Tensor input) {
        // the sizes read in place: Tensor.shape() copies its array, at every step of every call
        if (input.rank() != 4 || input.size(1) != spec.inChannels()) {
            throw new IllegalArgumentException("layer " + name() + " expects input [batch, " + spec.inChannels()
                    + ", height, width], got " + java.util.Arrays.toString(input.shape()));
        }
    }

    @Override
    void discard(Tensor output) {
        if (pool != null) {
            if (output.pooled() != null) {
                output.pooled().release(pool);
            }
            output.release(pool);
        }
    }

    /**
     * @param outShape the step's output shape
     * @return the 2x2 max-pooling step that is this step's only reader, when this step pools its output for it (no
     *     residual, not a network output; {@link MaxPoolingStep#halves}), else null
     */
    private MaxPoolingStep fusedPool(long[] outShape) {
        if (residual || outputLeaves || readers.size() != 1 || !(readers.get(0) instanceof MaxPoolingStep p)
                || !p.halves(outShape)) {
            return null;
        }
        return p;
    }

    /**
     * The step's output as its pooling reader wants it: unchanged without a {@link #fusedPool}, else pooled here
     * (the output's arrays handed back to the pool) and passed on, so that both kernels' calibration times include
     * the pooling (the per-image sparse kernel pools inside its output pass, {@link #runPerImage}).
     */
    private Tensor pooledForReader(Tensor output) {
        MaxPoolingStep reader = fusedPool(output.shape());
        if (reader == null) {
            return output;
        }
        Tensor pooled = reader.pool(output);
        discard(output);
        return Tensor.pooledBy(pooled, output.shape());
    }

    @Override
    public void usePool(ArrayPool runnerPool) {
        this.pool = runnerPool;
    }

    @Override
    public void addReader(Step reader) {
        readers.add(reader);
    }

    /** The sparse kernel's padded source layout for this input, unless the dense kernel runs. */
    @Override
    public PlaneLayout inputLayout(long[] inputShape) {
        if (inputShape.length != 4 || inputShape[1] != spec.inChannels() || !maySparse((int) inputShape[0])
                || spec.dilated() || spec.outSize(0, inputShape[2]) < 1 || spec.outSize(1, inputShape[3]) < 1) {
            return null;
        }
        SparseConvolution conv = sparse(inputShape[2], inputShape[3]);
        // the batched kernel reads plain NCHW
        boolean batchedRuns = batched.appliesTo(conv.shape(), (int) inputShape[0]) && batched.choice(
                (int) inputShape[0]) != KernelKind.SPARSE;
        // so does the small-plane kernel
        boolean smallPlaneRuns = smallPlane.appliesTo(conv.shape(), (int) inputShape[0]) && smallPlane.choice(
                (int) inputShape[0]) != KernelKind.SPARSE;
        if (batchedRuns || smallPlaneRuns) {
            return null;
        }
        return conv.inputLayout() != null ? conv.inputLayout() : gatheredLayout(conv, inputShape);
    }

    /**
     * A strided convolution gathers its phase planes from any stored layout of its input
     * ({@link SparseConvolution#readsLayout}); it asks for the one a 3x3, pad-1, stride-1 producer writes (ResNet's
     * stage-edge block, whose other readers are stride-1 layers of that layout), so that the producer keeps writing
     * padded rows and no row-major copy is made. Null when the convolution reads plain NCHW only.
     */
    private static PlaneLayout gatheredLayout(SparseConvolution conv, long[] inputShape) {
        int height = (int) inputShape[2];
        int width = (int) inputShape[3];
        PlaneLayout asked = new PlaneLayout(height, width, 1, 1, width + 2, height + 3);
        return conv.readsLayout(asked) ? asked : null;
    }

    /**
     * The per-image sparse kernel, or on small planes at larger batches the batched one when it was timed faster
     * ({@link BatchedCandidate}; while both are timed, the batched kernel's output is returned).
     */
    @Override
    Tensor runSparse(Tensor[] inputs) {
        Tensor input = inputs[0];
        int batch = (int) input.size(0);
        ConvolutionShape shape = sparse(input.size(2), input.size(3)).shape();
        if (smallPlane.appliesTo(shape, batch)) {
            return runSmallPlaneOrPerImage(inputs, shape);
        }
        if (!batched.appliesTo(shape, batch)) {
            return runPerImage(inputs);
        }
        KernelKind choice = batched.next(batch);
        if (choice != null) {
            return choice == KernelKind.SPARSE_BATCHED ? runBatched(inputs, shape) : runPerImage(inputs);
        }
        if (slicedRace(input, shape, batch)) {
            return raceOnSlices(inputs, shape);
        }
        Tensor out = null;
        for (int r = 0; r < BatchedCandidate.PAIRS_PER_RUN; r++) {
            long start = now();
            discard(runPerImage(inputs));
            long middle = now();
            if (out != null) {
                discard(out);
            }
            out = runBatched(inputs, shape);
            batched.record(batch, middle - start, now() - middle);
        }
        return out;
    }

    /**
     * @return true if the per-image and the batched kernel race on slices of the batch ({@link #raceOnSlices}): a
     *     layer the calibration slices ({@link #slicedForBatched})
     */
    private boolean slicedRace(Tensor input, ConvolutionShape shape, int batch) {
        return slicedForBatched(sparse(input.size(2), input.size(3)), batch);
    }

    /**
     * @return true if the calibration slices this layer at this batch size where the batched kernel is a candidate:
     *     at least {@link #BATCHED_PROBED_MACS} non-zero multiply-adds per call, {@link #BATCHED_PROBED_DENSITY}
     *     dense, a batch of at least twice {@link #BATCHED_SLICE_IMAGES}
     */
    private static boolean slicedForBatched(SparseConvolution conv, int batch) {
        ConvolutionShape shape = conv.shape();
        long nonZeros = conv.weights().nonZeros();
        long macs = (long) batch * nonZeros * shape.outHeight() * shape.outWidth();
        double density = (double) nonZeros / ((long) shape.outChannels() * shape.patchSize());
        return macs >= BATCHED_PROBED_MACS && density >= BATCHED_PROBED_DENSITY
                && batch >= 2 * BATCHED_SLICE_IMAGES;
    }

    /**
     * The per-image against the batched kernel ({@link BatchedCandidate}) on slices, each time scaled to the full
     * batch: the per-image kernel on about {@link #SLICE_MACS} of work (at least 2 images), the batched one on
     * {@link #BATCHED_SLICE_IMAGES}; then the faster so far (the batched one while undecided) on the whole batch. On
     * the full batch the race ran both kernels twice per call: the dense VGG-19's 512-channel 4x4 layers at batch 64
     * took 3-7 s per calibrating call where the call is 50-70 ms on oneDNN (the per-image kernel, 5-40x slower than
     * the batched one there, and code the JIT had not compiled yet; under load 11-15).
     */
    private Tensor raceOnSlices(Tensor[] inputs, ConvolutionShape shape) {
        Tensor input = inputs[0];
        int batch = (int) input.size(0);
        SparseConvolution conv = sparse(input.size(2), input.size(3));
        long macs = (long) batch * conv.weights().nonZeros() * shape.outHeight() * shape.outWidth();
        int images = (int) Math.max(2, -Math.floorDiv(-batch * SLICE_MACS, Math.max(1, macs)));
        Calibration.Probe perImage = perImageProbe(input, conv, batch, images);
        Calibration.Probe batchedSlice = batchedSlice(input, shape, batch);
        for (int r = 0; r < BatchedCandidate.PAIRS_PER_RUN; r++) {
            long start = now();
            perImage.run().run();
            long middle = now();
            batchedSlice.run().run();
            long end = now();
            batched.record(batch, Math.round((middle - start) / perImage.fraction()), Math.round((end - middle)
                    / batchedSlice.fraction()));
        }
        return batched.choice(batch) == KernelKind.SPARSE ? runPerImage(inputs) : runBatched(inputs, shape);
    }

    /**
     * The small-plane kernel or the per-image one, whichever {@link SmallPlaneCandidate} timed faster (while both
     * are timed, the small-plane kernel's output is returned).
     */
    private Tensor runSmallPlaneOrPerImage(Tensor[] inputs, ConvolutionShape shape) {
        int batch = (int) inputs[0].size(0);
        KernelKind choice = smallPlane.next(batch);
        if (choice != null) {
            return choice == KernelKind.SPARSE_SMALL_PLANE ? runSmallPlane(inputs, shape) : runPerImage(inputs);
        }
        long start = now();
        discard(runPerImage(inputs));
        long middle = now();
        Tensor out = runSmallPlane(inputs, shape);
        smallPlane.record(batch, middle - start, now() - middle);
        return out;
    }

    /** The small-plane kernel on plain NCHW input and output, the residual added as it stores. */
    private Tensor runSmallPlane(Tensor[] inputs, ConvolutionShape shape) {
        int batch = (int) inputs[0].size(0);
        long[] outShape = {batch, shape.outChannels(), shape.outHeight(), shape.outWidth()};
        Tensor shortcut = shortcut(inputs, outShape);
        float[] out = ArrayPool.take(pool, batch * shape.outputSize());
        smallPlane.kernel(shape).forward(inputs[0].floats(pool), batch, out, shortcut == null ? null : shortcut
                .floats(pool));
        return pooledForReader(Tensor.of(out, outShape));
    }

    /**
     * @param batch a batch size
     * @return the sparse kernel chosen for it: {@link KernelKind#SPARSE_BATCHED} or {@link KernelKind#SPARSE}, or
     *     null while both are timed or before a call
     */
    KernelKind sparseKernel(int batch) {
        return batched.choice(batch);
    }

    @Override
    void settleSparseRaces(int batch) {
        batched.settle(batch);
        smallPlane.settle(batch);
    }

    @Override
    void reopenSparseRaces(int batch) {
        batched.reopen(batch);
        smallPlane.reopen(batch);
    }

    @Override
    boolean sparseRacesQuiet(int batch) {
        return batched.quiet(batch) && smallPlane.quiet(batch);
    }

    /**
     * The per-image kernel ({@link KernelKind#SPARSE}) at any batch size, the batched kernel from batch
     * {@link BatchedCandidate#MIN_BATCH}, the small-plane kernel below it on layers of at least
     * {@link SmallPlaneCandidate#MIN_DENSITY} density.
     */
    @Override
    String sparseKindProblem(int batch, KernelKind kind) {
        boolean batchedFits = kind == KernelKind.SPARSE_BATCHED && batch >= BatchedCandidate.MIN_BATCH;
        boolean smallPlaneFits = kind == KernelKind.SPARSE_SMALL_PLANE && batch < BatchedCandidate.MIN_BATCH
                && density() >= SmallPlaneCandidate.MIN_DENSITY;
        return kind == KernelKind.SPARSE || batchedFits || smallPlaneFits ? null : "SPARSE_BATCHED runs from batch "
                + BatchedCandidate.MIN_BATCH + ", SPARSE_SMALL_PLANE below it at density >= "
                + SmallPlaneCandidate.MIN_DENSITY;
    }

    /** Both sparse races keep the given kernel, the per-image one where it is not theirs. */
    @Override
    void presetSparse(int batch, KernelKind kind) {
        batched.preset(batch, kind == KernelKind.SPARSE_BATCHED ? kind : KernelKind.SPARSE);
        smallPlane.preset(batch, kind == KernelKind.SPARSE_SMALL_PLANE ? kind : KernelKind.SPARSE);
    }

    /** @return {@link KernelKind#SPARSE_BATCHED} once that kernel was timed faster at this batch size */
    @Override
    KernelKind sparseKind(int batch) {
        if (smallPlane.choice(batch) == KernelKind.SPARSE_SMALL_PLANE) {
            return KernelKind.SPARSE_SMALL_PLANE;
        }
        return batched.choice(batch) == KernelKind.SPARSE_BATCHED ? KernelKind.SPARSE_BATCHED : KernelKind.SPARSE;
    }

    /** The batched kernel on plain NCHW input and output, the residual added as it stores. */
    private Tensor runBatched(Tensor[] inputs, ConvolutionShape shape) {
        int batch = (int) inputs[0].size(0);
        long[] outShape = {batch, shape.outChannels(), shape.outHeight(), shape.outWidth()};
        Tensor shortcut = shortcut(inputs, outShape);
        float[] out = ArrayPool.take(pool, batch * shape.outputSize());
        batched.kernel(shape).forward(inputs[0].floats(pool), batch, out, shortcut == null ? null : shortcut.floats(
                pool));
        return pooledForReader(Tensor.of(out, outShape));
    }

    /**
     * Reads the input in the kernel's padded layout when the producer wrote it so, and writes the output
     * in the layout the readers read when the kernel can (a stride-1 convolution whose padded-width rows
     * fit the next padded layout): no copy into or out of padded planes between such layers.
     */
    private Tensor runPerImage(Tensor[] inputs) {
        Tensor input = inputs[0];
        PerImagePlan plan = perImagePlan((int) input.size(0), input.size(2), input.size(3));
        SparseConvolution conv = plan.conv();
        int batch = plan.batch();
        // an input held only as an ND4J array (a dense step's output) is padded straight from its buffer
        PlaneLayout sourceLayout = conv.inputLayout();
        PlaneLayout stored = input.layout();
        PlaneLayout inLayout = sourceLayout != null && (sourceLayout == stored || sourceLayout.equals(stored) || input
                .onlyArray()) ? sourceLayout : conv.readsLayout(stored) ? stored : null;
        float[] in = inLayout != null ? input.padded(inLayout, pool) : input.floats(pool);
        long[] outShape = plan.outShape();
        if (plan.pooling() != null) {
            // the pooling reads each channel's rows while the kernel still has them in its L1 accumulator
            PlaneLayout pooledLayout = plan.pooledLayout();
            long[] pooledShape = MaxPoolingStep.halvedShape(outShape);
            int plane = pooledLayout != null ? pooledLayout.planeSize() : (int) (pooledShape[2] * pooledShape[3]);
            float[] out = ArrayPool.take(pool, batch * conv.shape().outChannels() * plane);
            conv.forwardPooled(in, inLayout, batch, out, pooledLayout);
            return Tensor.pooledBy(MaxPoolingStep.poolInto(out, pooledLayout, outShape), outShape);
        }
        PlaneLayout outLayout = plan.outLayout();
        Tensor shortcut = shortcut(inputs, outShape);
        if (outLayout != null) {
            float[] out = ArrayPool.take(pool, plan.outLength());
            conv.forward(in, inLayout, batch, out, outLayout, shortcut == null ? null : shortcut.padded(outLayout,
                    pool));
            return Tensor.padded(out, outLayout, outShape);
        }
        float[] out = ArrayPool.take(pool, plan.outLength());
        conv.forward(in, inLayout, batch, out, null, shortcut == null ? null : shortcut.floats(pool));
        return pooledForReader(Tensor.of(out, outShape));
    }

    /**
     * What {@link #runPerImage} derives from the input's size and from its readers' decisions, kept for the next
     * calls of that batch and input size until a decision changes anywhere ({@link DecisionVersion}).
     *
     * @param batch the batch size
     * @param height the input height
     * @param width the input width
     * @param version the {@link DecisionVersion} it was derived at
     * @param conv the sparse kernel for this input size
     * @param outShape the output shape (shared by the calls' output values, which never modify it)
     * @param pooling the pooling reader whose work the kernel does ({@link SparseConvolution#forwardPooled}), or null
     * @param pooledLayout the layout the pooling step's readers read, with {@code pooling}
     * @param outLayout the padded layout the kernel writes for the readers ({@link Step#wantedBy}), or null for
     *     plain NCHW
     * @param outLength the length of the output array
     */
    record PerImagePlan(int batch, long height, long width, int version, SparseConvolution conv, long[] outShape,
                        MaxPoolingStep pooling, PlaneLayout pooledLayout, PlaneLayout outLayout, int outLength) {
    }

    /**
     * @return the plan of {@link #runPerImage} for this batch and input size: the last one when it was derived for
     *     them at the current {@link DecisionVersion}, else derived again (the readers' layouts asked anew)
     */
    PerImagePlan perImagePlan(int batch, long height, long width) {
        PerImagePlan plan = lastPlan;
        int version = DecisionVersion.current();
        if (plan != null && plan.version() == version && plan.batch() == batch && plan.height() == height && plan
                .width() == width) {
            return plan;
        }
        SparseConvolution conv = sparse(height, width);
        ConvolutionShape shape = conv.shape();
        long[] outShape = {batch, shape.outChannels(), shape.outHeight(), shape.outWidth()};
        MaxPoolingStep pooling = fusedPool(outShape);
        if (pooling != null && conv.poolsOutput()) {
            plan = new PerImagePlan(batch, height, width, version, conv, outShape, pooling, pooling.outputLayout(
                    MaxPoolingStep.halvedShape(outShape)), null, 0);
        } else {
            PlaneLayout wanted = Step.wantedBy(readers, outShape);
            PlaneLayout outLayout = conv.writesLayout(wanted) ? wanted : null;
            int outLength = outLayout != null ? batch * shape.outChannels() * outLayout.planeSize() : batch * shape
                    .outputSize();
            plan = new PerImagePlan(batch, height, width, version, conv, outShape, null, null, outLayout, outLength);
        }
        lastPlan = plan;
        return plan;
    }

    /** @return the residual input (checked against the output shape), or null without one */
    private Tensor shortcut(Tensor[] inputs, long[] outShape) {
        if (!residual) {
            return null;
        }
        if (!inputs[1].hasShape(outShape)) {
            throw new IllegalArgumentException("layer " + name() + ": the residual input must have the output's shape "
                    + java.util.Arrays.toString(outShape) + ", got " + java.util.Arrays.toString(inputs[1].shape()));
        }
        return inputs[1];
    }

    /**
     * The sparse kernel itself on the first images of the batch, about {@link #SLICE_MACS} of non-zero work (no
     * residual, plain output; the images copied outside the timed slice). The same kernel and code path as the full
     * run, so the JIT has compiled the slice when it has compiled the full run (a kernel for a slice of the output
     * channels took a colder path and predicted 10-100x too much at the second call, under load 5). None below
     * {@link #PROBED_MACS} or when the slice would be more than half the batch (so none below batch 4). Where the
     * batched kernel is a candidate (small planes), a slice of {@link #BATCHED_SLICE_IMAGES} images from
     * {@link #BATCHED_PROBED_MACS} ({@link #batchedProbe}) while the calibration runs, else none.
     */
    @Override
    Calibration.Probe sparseProbe(Tensor[] inputs) {
        Tensor input = inputs[0];
        int batch = (int) input.size(0);
        SparseConvolution conv = sparse(input.size(2), input.size(3));
        ConvolutionShape shape = conv.shape();
        long macs = (long) batch * conv.weights().nonZeros() * shape.outHeight() * shape.outWidth();
        if (batched.appliesTo(shape, batch)) {
            if (!slicedForBatched(conv, batch) || !calibrating(batch)) {
                return null;
            }
            slicedBatches.add(batch);
            return batchedProbe(input, conv, batch);
        }
        // at least 2 images: one image takes the kernel's other threading path (channel blocks over threads)
        int images = (int) Math.max(2, -Math.floorDiv(-batch * SLICE_MACS, Math.max(1, macs)));
        // small planes may run the small-plane kernel, which a slice of a few images would not time
        if (macs < PROBED_MACS || 2 * images > batch || smallPlane.appliesTo(shape, batch)) {
            return null;
        }
        return perImageProbe(input, conv, batch, images);
    }

    /**
     * No recheck where the calibration sliced the layer for the batched kernel ({@link #batchedProbe}) and chose the
     * dense kernel with the sparse kernels more than {@link Calibration#CLEAR_MARGIN} times slower (or never run in
     * full, every slice predicting that): a recheck runs them twice on the whole batch, and there a layer's Java
     * code has been compiled during the calibration's calls (slices of hundreds of millions of multiply-adds), the
     * reason rechecks exist (docs/structured.md, session 12: with them the dense VGG-19's calls at batch 64 took
     * 2.4-3.9 s at calls 12, 20 and 25 against 0.6-1.0 s, 12 of its 16 layers choosing oneDNN by 2-20x).
     */
    @Override
    String unrechecked(int batch, KernelKind chosen, double sparseMillis, double denseMillis) {
        if (chosen != KernelKind.DENSE || !slicedBatches.contains(batch) || sparseMillis <= Calibration.CLEAR_MARGIN
                * denseMillis) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "sliced for the batched kernel, the sparse kernels %s %.1f x"
                + " DENSE", Double.isNaN(sparseMillis) ? "predicted above" : "slower than", Calibration.CLEAR_MARGIN);
    }

    /** The per-image sparse kernel on the first {@code images} images of the batch (see {@link #sparseProbe}). */
    private Calibration.Probe perImageProbe(Tensor input, SparseConvolution conv, int batch, int images) {
        ConvolutionShape shape = conv.shape();
        PlaneLayout inLayout = conv.inputLayout() != null && conv.inputLayout().equals(input.layout())
                ? input.layout() : null;
        float[] whole = inLayout != null ? input.padded(inLayout, pool) : input.floats(pool);
        // the kernel reads exactly the images it is given
        float[] in = java.util.Arrays.copyOf(whole, whole.length / batch * images);
        return new Calibration.Probe(() -> {
            float[] out = ArrayPool.take(pool, images * shape.outputSize());
            conv.forward(in, inLayout, images, out, null);
            discard(Tensor.of(out, images, shape.outChannels(), shape.outHeight(), shape.outWidth()));
        }, (double) images / batch, images + " of " + batch + " images");
    }

    /**
     * On a small plane where the batched kernel is a candidate, the sparse kernel the step would run on the first
     * {@link #BATCHED_SLICE_IMAGES} images: the per-image kernel once {@link BatchedCandidate} chose it, else the
     * batched one. Without it every calibrating call and every recheck ran the sparse kernels on all the images,
     * at the first calls both of them twice ({@link BatchedCandidate#PAIRS_PER_RUN}): the dense VGG-19 at batch 64
     * spent 55 and 40 s in its first two calls (5-8 s per 256- and 512-channel layer, against 50-80 ms on oneDNN
     * later; under load 7), and a recheck at call 16 3.6 s in one layer. During the calibration only, where a slice
     * only keeps the kernel from a full run and the choice rests on full runs: {@link ChoiceRecheck} takes a slice's
     * scaled time as the kernel's, and this slice predicted 13-35 ms for 512-channel layers whose full batched run
     * then took 44-150 ms against 22-89 ms on oneDNN, so rechecks switched six of them to it (the network 2x slower).
     */
    private Calibration.Probe batchedProbe(Tensor input, SparseConvolution conv, int batch) {
        int images = BATCHED_SLICE_IMAGES;
        if (batched.choice(batch) == KernelKind.SPARSE) {
            return perImageProbe(input, conv, batch, images);
        }
        return batchedSlice(input, conv.shape(), batch);
    }

    /** The batched kernel on the first {@link #BATCHED_SLICE_IMAGES} images of the batch (input copied outside). */
    private Calibration.Probe batchedSlice(Tensor input, ConvolutionShape shape, int batch) {
        int images = BATCHED_SLICE_IMAGES;
        BatchedConvolution kernel = batched.kernel(shape);
        float[] whole = input.floats(pool);
        float[] in = java.util.Arrays.copyOf(whole, whole.length / batch * images);
        return new Calibration.Probe(() -> {
            float[] out = ArrayPool.take(pool, images * shape.outputSize());
            kernel.forward(in, images, out, null);
            discard(Tensor.of(out, images, shape.outChannels(), shape.outHeight(), shape.outWidth()));
        }, (double) images / batch, images + " of " + batch + " images, batched kernel");
    }

    /**
     * @return the sparse kernel for input planes of this size, made at the first call with it; the last one asked
     *     for is kept in a field (the map's boxed key and lambda took 4 % of a 70 %-shrunk ResNet-56 call at
     *     batch 1: this runs three times per step and call, for the step and for its producer's
     *     {@link #inputLayout})
     */
    private SparseConvolution sparse(long height, long width) {
        long key = height << 32 | width;
        SparseConvolution last = lastSparse;
        if (last != null && lastSparseKey == key) {
            return last;
        }
        SparseConvolution conv = sparseBySize.computeIfAbsent(key, k -> SparseConvolution.of(spec.shape(height,
                width), weights, bias, activation, options.threading()));
        lastSparseKey = key;
        lastSparse = conv;
        return conv;
    }

    /**
     * oneDNN's inference primitive called directly ({@link DirectConvolution}), else libnd4j's {@code conv2d}
     * (oneDNN inside libnd4j), on the folded weights, then the residual and the ReLU. Under
     * {@link NativeThreading#JAVA_THREADS} the call is split into {@link #parts} over the runner's threads, each
     * part single-threaded in OpenMP: the images of the batch, or at batch 1 the output channels (oneDNN: one
     * primitive per part's channel range).
     */
    @Override
    Tensor runDense(Tensor[] inputs) {
        return pooledForReader(runDenseUnpooled(inputs));
    }

    /** The dense kernel's output, not pooled. */
    private Tensor runDenseUnpooled(Tensor[] inputs) {
        Tensor channelsLast = runDenseChannelsLast(inputs);
        if (channelsLast != null) {
            return channelsLast;
        }
        INDArray x = inputs[0].arrayInto(converted(0, inputs[0].shape()));
        if (x.dataType() != DataType.FLOAT || x.ordering() != 'c' || x.isView()
                || !Tensor.defaultStrides(x)) {
            x = x.castTo(DataType.FLOAT).dup('c');
        }
        long batch = x.size(0);
        long[] outShape = {batch, spec.outChannels(), spec.outSize(0, x.size(2)), spec.outSize(1, x.size(3))};
        INDArray out = denseOutput(outShape);
        Tensor shortcut = shortcut(inputs, outShape);
        INDArray residualArray = shortcut == null ? null : shortcut.arrayInto(converted(1, outShape));
        if (residualArray != null && (residualArray.isView() || residualArray.ordering() != 'c'
                || !Tensor.defaultStrides(residualArray))) {
            residualArray = residualArray.dup('c');
        }
        int unsplitThreads = unsplitThreads(batch, outShape);
        int parts = parts(batch, unsplitThreads);
        if (parts == 1) {
            int previous = options.nativeThreading() == NativeThreading.JAVA_THREADS ? OpenMpThreads.limit(
                    unsplitThreads) : 0;
            try {
                convolve(0, x, 0, spec.outChannels(), weightArray, biasArray, out, residualArray);
            } finally {
                OpenMpThreads.restore(previous);
            }
            return Tensor.of(out);
        }
        INDArray input = x;
        INDArray residual = residualArray;
        long work = batch * spec.outChannels() * outShape[2] * outShape[3] * spec.inChannels() * spec.kernel()[0]
                * spec.kernel()[1];
        options.threading().run(parts, work, part -> densePart(part, parts, input, out, residual));
        return Tensor.of(out);
    }

    /**
     * The dense kernel on oneDNN with NHWC arguments where that saves oneDNN's reorders (it computes these shapes in
     * NHWC on AVX-512): the input when its producer wrote NHWC, the residual likewise, and the output when every
     * reader runs this same path ({@link #readsChannelsLast}). Only at batch &gt; 1 (the split by images keeps each
     * part a contiguous block in NHWC too) and when oneDNN applies.
     *
     * @return the output, or null if no argument is NHWC or oneDNN did not run (then the NCHW path runs)
     */
    private Tensor runDenseChannelsLast(Tensor[] inputs) {
        Tensor input = inputs[0];
        long batch = input.size(0);
        if (batch < 2 || spec.dilated() || !OneDnn.applies()) {
            return null;
        }
        long[] outShape = {batch, spec.outChannels(), spec.outSize(0, input.size(2)), spec.outSize(1, input.size(3))};
        Tensor shortcut = shortcut(inputs, outShape);
        INDArray nhwcInput = input.channelsLast();
        INDArray nhwcResidual = shortcut == null ? null : shortcut.channelsLast();
        boolean nhwcOutput = !outputLeaves && Step.allReadChannelsLast(readers, outShape);
        if (nhwcInput == null && nhwcResidual == null && !nhwcOutput) {
            return null;
        }
        INDArray x = nhwcInput != null ? nhwcInput : contiguous(input.arrayInto(converted(0, input.shape())));
        INDArray residual = shortcut == null ? null : nhwcResidual != null ? nhwcResidual : contiguous(shortcut
                .arrayInto(converted(1, outShape)));
        if (!direct.applies(x)) {
            return null;
        }
        ActivationLayout inLayout = nhwcInput != null ? ActivationLayout.NHWC : ActivationLayout.NCHW;
        ActivationLayout outLayout = nhwcOutput ? ActivationLayout.NHWC : ActivationLayout.NCHW;
        ActivationLayout residualLayout = nhwcResidual != null ? ActivationLayout.NHWC : ActivationLayout.NCHW;
        long[] stored = nhwcOutput ? new long[] {batch, outShape[2], outShape[3], outShape[1]} : outShape;
        INDArray out = denseOutput(stored);
        int unsplitThreads = unsplitThreads(batch, outShape);
        int parts = parts(batch, unsplitThreads);
        int threads = parts == 1 ? unsplitThreads : 1;
        java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.function.IntConsumer part = p -> {
            int previous = options.nativeThreading() == NativeThreading.JAVA_THREADS ? OpenMpThreads.limit(threads)
                    : 0;
            try {
                long from = p * batch / parts;
                long to = (p + 1) * batch / parts;
                boolean done = direct.forward(p, 0, spec.outChannels(), images(x, from, to), residual == null ? null
                        : images(residual, from, to), images(out, from, to), inLayout, outLayout, residualLayout);
                if (!done) {
                    ran.set(false);
                }
            } finally {
                OpenMpThreads.restore(previous);
            }
        };
        if (parts == 1) {
            part.accept(0);
        } else {
            long work = batch * spec.outChannels() * outShape[2] * outShape[3] * spec.inChannels() * spec.kernel()[0]
                    * spec.kernel()[1];
            options.threading().run(parts, work, part::accept);
        }
        if (!ran.get()) {
            return null;
        }
        return nhwcOutput ? Tensor.channelsLast(out, outShape) : Tensor.of(out);
    }

    /**
     * @param argument 0 for the input, 1 for the residual
     * @param shape the value's shape
     * @return this step's array for a Java value of that shape converted to ND4J, reused at every call (the dense
     *     kernel reads it only during the step)
     */
    private INDArray converted(int argument, long[] shape) {
        long key = shape[0] * 2 + argument;
        INDArray buffer = convertedInputs.get(key);
        if (buffer == null || !java.util.Arrays.equals(buffer.shape(), shape)) {
            buffer = Nd4j.createUninitialized(DataType.FLOAT, shape);
            convertedInputs.put(key, buffer);
        }
        return buffer;
    }

    /** @return the layer's geometry */
    ConvolutionSpec spec() {
        return spec;
    }

    /** @return the weights with the batch norm folded in, {@code [out, in, kh, kw]}; do not modify */
    float[] foldedWeights() {
        return weights;
    }

    /** @return the bias with the batch norm folded in, {@code [out]}; do not modify */
    float[] foldedBias() {
        return bias;
    }

    /** @return the fused activation */
    FusedActivation activation() {
        return activation;
    }

    /** @return the argument layouts of the oneDNN primitives this step created so far (tests) */
    java.util.Set<String> directLayouts() {
        return direct.layoutsUsed();
    }

    /**
     * @return the oneDNN primitives this step created so far, as {@code "part:from-to@batch"} (tests: a primitive is
     *     created once per part, channel range and batch size, whichever threads the calls alternate between)
     */
    java.util.Set<String> directParts() {
        return direct.partsUsed();
    }

    /** @return {@code array} as float32 with default 'c' strides (a copy if it is not) */
    private static INDArray contiguous(INDArray array) {
        if (array.dataType() != DataType.FLOAT || array.ordering() != 'c' || array.isView()
                || !Tensor.defaultStrides(array)) {
            return array.castTo(DataType.FLOAT).dup('c');
        }
        return array;
    }

    /**
     * Reads its input in NHWC when it runs the dense kernel on oneDNN at this batch size (decided, not while it
     * calibrates) and the batch is split by images.
     */
    @Override
    public boolean readsChannelsLast(long[] inputShape) {
        return inputShape.length == 4 && inputShape[0] > 1 && !spec.dilated() && OneDnn.applies()
                && decidedDense((int) inputShape[0]);
    }

    /**
     * @return the array the dense kernel writes: the one of the previous call with this batch size when no
     *     value outlives a call's last reader of it (no network output, no DL4J reader, which may keep a view),
     *     else a new one. Without the reuse every call allocated 0.5-2.4 MB of native memory per layer (ResNet-56
     *     at batch 32), which the JVM frees only after a garbage collection: fresh pages every call.
     */
    private INDArray denseOutput(long[] shape) {
        boolean reusable = !outputLeaves && !readers.isEmpty() && readers.stream().noneMatch(
                FallbackStep.class::isInstance);
        if (!reusable) {
            return Nd4j.createUninitialized(DataType.FLOAT, shape);
        }
        long key = shape[0] * 2 + (shape[3] == spec.outChannels() && shape[1] != spec.outChannels() ? 1 : 0);
        INDArray out = denseOutputs.get(key);
        if (out == null || !java.util.Arrays.equals(out.shape(), shape)) {
            out = Nd4j.createUninitialized(DataType.FLOAT, shape);
            denseOutputs.put(key, out);
        }
        return out;
    }

    @Override
    public void outputLeavesRunner() {
        outputLeaves = true;
    }

    /**
     * @param batch the call's batch size
     * @param unsplitThreads {@link #unsplitThreads} of the call
     * @return into how many single-threaded {@code conv2d} calls a batch is split: 1 under
     *     {@link NativeThreading#OPENMP} (one call on OpenMP's threads), for a call made with every step on the
     *     calling thread ({@link CallThreads#CALLER} under {@link KernelThreading#PER_CALL}: the parts would run one
     *     after the other, and a batch-1 call split by output channels cost up to 2x one unsplit call, VGG-19 conv2_1
     *     0.233 against 0.113 ms, docs/structured.md session 11) and for a call that {@link #unsplitThreads} gives
     *     OpenMP's threads under either whole-call choice (split over the runner's Java threads, oneDNN gained
     *     0.56-1.09x from the second core on VGG-19's RPG-pruned layers at batch 32 where one call on OpenMP's two
     *     threads gained 1.7-1.9x, docs/deployment.md session 13), else the runner's thread count, at most the batch
     *     (or at batch 1 the output channels)
     */
    private int parts(long batch, int unsplitThreads) {
        if (options.nativeThreading() != NativeThreading.JAVA_THREADS || !OpenMpThreads.available()) {
            return 1;
        }
        if (options.threading() == KernelThreading.PER_CALL && (KernelThreading.choice() == CallThreads.CALLER
                || unsplitThreads > 1)) {
            return 1;
        }
        long units = batch > 1 ? batch : spec.outChannels();
        return (int) Math.min(options.threading().threads(), units);
    }

    /**
     * @param batch the call's batch size
     * @param outShape the output shape {@code [batch, out, outH, outW]}
     * @return the OpenMP threads of an unsplit oneDNN call under {@link NativeThreading#JAVA_THREADS}: the runner's
     *     thread count ({@link KernelThreading#threads()}) for a call under {@link KernelThreading#PER_CALL} (either
     *     whole-call choice) of at least {@link #OPENMP_BATCH} images and {@link #OPENMP_MACS} multiply-adds, else 1.
     *     The step runs on the calling thread while the pool's Java threads wait, so oneDNN may use the second core
     *     without competing with the Java kernels; on one OpenMP thread the dense ResNet-56 at batch 64 took 128.7 ms
     *     per call, with OpenMP's two threads 72.4 ms and split over two Java threads 89.1 ms (docs/structured.md,
     *     session 13).
     */
    private int unsplitThreads(long batch, long[] outShape) {
        if (batch < OPENMP_BATCH || options.threading() != KernelThreading.PER_CALL) {
            return 1;
        }
        long macs = batch * outShape[1] * outShape[2] * outShape[3] * spec.inChannels() * spec.kernel()[0]
                * spec.kernel()[1];
        return macs >= OPENMP_MACS ? Math.max(1, options.threading().threads()) : 1;
    }

    /** One part of a split call, on the calling thread with one OpenMP thread. */
    private void densePart(int part, int parts, INDArray x, INDArray out, INDArray residual) {
        int previous = OpenMpThreads.limit(1);
        try {
            long batch = x.size(0);
            if (batch > 1) {
                long from = part * batch / parts;
                long to = (part + 1) * batch / parts;
                convolve(part, images(x, from, to), 0, spec.outChannels(), weightArray, biasArray, images(out, from,
                        to),
                        residual == null ? null : images(residual, from, to));
            } else {
                long from = part * spec.outChannels() / parts;
                long to = (part + 1) * spec.outChannels() / parts;
                convolve(part, x, from, to, images(weightArray, from, to), images(biasArray, from, to),
                        channels(out, from, to), residual == null ? null : channels(residual, from, to));
            }
        } finally {
            OpenMpThreads.restore(previous);
        }
    }

    /** Entries {@code [from, to)} of dimension 0 of a row-major array: a contiguous block, as its own array. */
    private static INDArray images(INDArray array, long from, long to) {
        long[] shape = array.shape().clone();
        long step = array.length() / shape[0];
        shape[0] = to - from;
        return block(array, from * step, shape);
    }

    /** Channels {@code [from, to)} of a row-major {@code [1, channels, h, w]} array, as its own array. */
    private static INDArray channels(INDArray array, long from, long to) {
        long[] shape = array.shape().clone();
        long plane = shape[2] * shape[3];
        shape[1] = to - from;
        return block(array, from * plane, shape);
    }

    /** A row-major array of {@code shape} over {@code array}'s buffer from {@code offset} (no copy). */
    private static INDArray block(INDArray array, long offset, long[] shape) {
        return Nd4j.create(array.data(), shape, Nd4j.getStrides(shape, 'c'), offset, 'c');
    }

    /**
     * {@code out = act(conv(x, w) + b (+ residual))} for output channels {@code [from, to)} ({@code w}, {@code b}
     * and {@code out} hold just those): oneDNN's primitive of {@code part} when it applies (residual and ReLU as
     * its post-ops, no pass after it), else libnd4j's op with the op context of {@code part}, then the residual and
     * the ReLU as ND4J ops.
     */
    private void convolve(int part, INDArray x, long from, long to, INDArray w, INDArray b, INDArray out,
                          INDArray residual) {
        if (direct.forward(part, (int) from, (int) to, x, residual, out)) {
            return;
        }
        convolveLibnd4j(part, x, w, b, out);
        if (residual != null) {
            out.addi(residual);
        }
        if (activation == FusedActivation.RELU) {
            Transforms.relu(out, false);
        }
    }

    private void convolveLibnd4j(int part, INDArray x, INDArray w, INDArray b, INDArray out) {
        OpContext context = context(part);
        context.purge();
        context.setIArguments(spec.opArguments());
        context.setInputArrays(x, w, b);
        context.setOutputArrays(out);
        // libnd4j 1.0.0-M2.1 cannot create oneDNN primitives for dilation above 1 (see FastConvolutionLayer).
        context.allowHelpers(!spec.dilated());
        Nd4j.exec(new Conv2D(), context);
    }

    /** @return the op context of a part (each part's thread uses its own: contexts are not thread-safe) */
    private OpContext context(int part) {
        synchronized (contexts) {
            while (contexts.size() <= part) {
                contexts.add(Nd4j.getExecutioner().buildContext());
            }
            return contexts.get(part);
        }
    }

    static double density(float[] values) {
        int nonZeros = 0;
        for (float v : values) {
            nonZeros += v != 0.0f ? 1 : 0;
        }
        return values.length == 0 ? 0.0 : (double) nonZeros / values.length;
    }
}
