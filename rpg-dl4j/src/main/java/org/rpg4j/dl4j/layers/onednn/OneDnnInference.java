package org.rpg4j.dl4j.layers.onednn;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCRATCHPAD;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_relu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_inference;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nhwc;
import static org.bytedeco.dnnl.global.dnnl.dnnl_oihw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_append_eltwise;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_append_sum;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_set_post_ops;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_set_scratchpad_mode;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_scratchpad_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_scratchpad_mode_user;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;
import static org.bytedeco.dnnl.global.dnnl.dnnl_x;

import java.lang.ref.Cleaner;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.sparse.kernel.ConvolutionShape;

/**
 * oneDNN's inference convolution ({@code forward_inference}, direct algorithm, float32) for one
 * {@link ConvolutionShape} and batch size with constant weights: the weights and bias are copied once, at
 * creation, into the layout oneDNN prefers for the shape, so a call reorders only the input and the output
 * (through the calling thread's scratch buffers, as {@link OneDnnConvolution}). Optionally a residual is added
 * (oneDNN's sum post-op: the residual is reordered into the destination before the convolution accumulates into
 * it) and a ReLU is fused after it, so that a ResNet block's last convolution, its add and its ReLU are one
 * primitive call and no extra pass over the output. For inference code that owns its weights (the sparse runner's dense convolution steps);
 * DL4J layers, whose weights change, use {@link OneDnnConvolution} for training and {@link OneDnnLayerInference} for
 * inference.
 *
 * <p>Not thread-safe: one instance is called by one thread at a time. Create instances only when
 * {@link OneDnn#available()}.
 */
public final class OneDnnInference {

    private static final Cleaner CLEANER = Cleaner.create();
    /** oneDNN's {@code DNNL_MEMORY_ALLOCATE}: the memory object allocates (and frees) its own buffer. */
    private static final Pointer ALLOCATE = new Pointer() {
        {
            address = -1;
        }
    };

    private final ConvolutionShape shape;
    private final int batch;
    private final boolean relu;
    private final boolean residual;
    private final long[] inputDims;
    private final long[] outputDims;
    private final dnnl_memory src;
    private final dnnl_memory dst;
    /** The residual's user memory (NCHW), or null without a residual. */
    private final dnnl_memory addend;
    private final Plan forward;
    /** The bias, copied (kept reachable for the primitive). */
    private final FloatPointer biasBuffer;
    private final long weightBytes;
    /** The bytes of the primitive's own scratchpad (0 if it needs none). */
    private final long scratchpadBytes;

    private OneDnnInference(ConvolutionShape shape, int batch, float[] weights, float[] bias, boolean relu,
                            boolean residual, ActivationLayout[] layouts, Resources r, Owned owned) {
        this.shape = shape;
        this.batch = batch;
        this.relu = relu;
        this.residual = residual;
        inputDims = DnnlShapes.inputDims(shape, batch);
        long[] weightDims = DnnlShapes.weightDims(shape);
        outputDims = DnnlShapes.outputDims(shape, batch);
        dnnl_memory_desc_t srcUser = DnnlShapes.md(r, inputDims, tag(layouts[0]));
        dnnl_memory_desc_t weightsUser = DnnlShapes.md(r, weightDims, dnnl_oihw);
        dnnl_memory_desc_t dstUser = DnnlShapes.md(r, outputDims, tag(layouts[1]));
        dnnl_memory_desc_t addendUser = DnnlShapes.md(r, outputDims, tag(layouts[2]));
        dnnl_memory_desc_t biasUser = DnnlShapes.md(r, new long[] {shape.outChannels()}, dnnl_x);
        dnnl_convolution_desc_t desc = DnnlShapes.forwardDesc(r, shape, batch, dnnl_forward_inference, true, biasUser);
        dnnl_primitive_desc pd = primitiveDesc(desc, relu, residual, true);
        owned.pd = pd;
        // the primitive's scratchpad, allocated once for this instance (user mode): in oneDNN's default mode each
        // call allocates it and frees it at the end (a thread's global scratchpad lives while a primitive runs), and
        // on a Java pool thread those were fresh pages at every call (session 13)
        dnnl_memory_desc_t scratchpadMd = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
        dnnl_memory scratchpad = null;
        if (scratchpadMd != null && dnnl_memory_desc_get_size(scratchpadMd) > 0) {
            scratchpad = new dnnl_memory();
            Resources.check(dnnl_memory_create(scratchpad, scratchpadMd, Natives.engine(), ALLOCATE), "memory");
            owned.scratchpad = scratchpad;
        }
        scratchpadBytes = scratchpad == null ? 0 : dnnl_memory_desc_get_size(scratchpadMd);

        // the weights reordered (or copied) once into memory oneDNN allocates in the layout it wants
        dnnl_memory_desc_t weightsWant = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
        dnnl_memory weightsMemory = new dnnl_memory();
        Resources.check(dnnl_memory_create(weightsMemory, weightsWant, Natives.engine(), ALLOCATE), "memory");
        owned.weights = weightsMemory;
        weightBytes = dnnl_memory_desc_get_size(weightsWant);
        try (FloatPointer userWeights = new FloatPointer(weights)) {
            dnnl_memory from = r.userMemory(weightsUser);
            Resources.setHandle(from, userWeights);
            dnnl_exec_arg_t args = r.own(new dnnl_exec_arg_t(2));
            args.position(0).arg(DNNL_ARG_FROM).memory(from);
            args.position(1).arg(DNNL_ARG_TO).memory(weightsMemory);
            Resources.check(dnnl_primitive_execute(r.reorder(weightsUser, weightsWant), r.stream(), 2,
                    args.position(0)), "weight reorder");
            Resources.check(dnnl_stream_wait(r.stream()), "stream wait");
        }
        biasBuffer = new FloatPointer(bias);
        dnnl_memory biasMemory = r.userMemory(biasUser);
        Resources.setHandle(biasMemory, biasBuffer);

        src = r.userMemory(srcUser);
        dst = r.userMemory(dstUser);
        addend = residual ? r.userMemory(addendUser) : null;
        forward = new Plan(r);
        Plan.Call conv = forward.call(pd);
        conv.input(DNNL_ARG_SRC, src, srcUser, dnnl_query_src_md);
        conv.direct(DNNL_ARG_WEIGHTS, weightsMemory);
        conv.direct(DNNL_ARG_BIAS, biasMemory);
        if (scratchpad != null) {
            conv.direct(DNNL_ARG_SCRATCHPAD, scratchpad);
        }
        if (residual) {
            conv.accumulate(DNNL_ARG_DST, dst, dstUser, dnnl_query_dst_md, addend, addendUser);
        } else {
            conv.output(DNNL_ARG_DST, dst, dstUser, dnnl_query_dst_md);
        }
        forward.finish();
    }

    /**
     * Creates the primitive and copies the weights (a few milliseconds: keep the instance for every call of
     * that shape and batch size).
     *
     * @param shape the convolution geometry; the bottom/right padding is what its output size needs
     * @param batch minibatch size, &ge; 1
     * @param weights {@code [outChannels, inChannels, kernelHeight, kernelWidth]} row-major; copied
     * @param bias {@code [outChannels]}; copied
     * @param relu true to apply a ReLU to the output (fused into the primitive)
     * @return the convolution
     * @throws IllegalArgumentException if {@code batch < 1} or an array's length does not match the shape
     * @throws IllegalStateException if oneDNN is not {@link OneDnn#available()} or rejects the shape
     */
    public static OneDnnInference create(ConvolutionShape shape, int batch, float[] weights, float[] bias,
                                         boolean relu) {
        return create(shape, batch, weights, bias, relu, false);
    }

    /**
     * As {@link #create(ConvolutionShape, int, float[], float[], boolean)}, optionally with a residual input added
     * before the ReLU ({@link #forward(INDArray, INDArray, INDArray)}).
     *
     * @param shape the convolution geometry; the bottom/right padding is what its output size needs
     * @param batch minibatch size, &ge; 1
     * @param weights {@code [outChannels, inChannels, kernelHeight, kernelWidth]} row-major; copied
     * @param bias {@code [outChannels]}; copied
     * @param relu true to apply a ReLU to the output (after the residual, fused into the primitive)
     * @param residual true if every call adds a residual of the output's shape (oneDNN's sum post-op)
     * @return the convolution
     * @throws IllegalArgumentException if {@code batch < 1} or an array's length does not match the shape
     * @throws IllegalStateException if oneDNN is not {@link OneDnn#available()} or rejects the shape
     */
    public static OneDnnInference create(ConvolutionShape shape, int batch, float[] weights, float[] bias,
                                         boolean relu, boolean residual) {
        return create(shape, batch, weights, bias, relu, residual, ActivationLayout.NCHW, ActivationLayout.NCHW,
                ActivationLayout.NCHW);
    }

    /**
     * As {@link #create(ConvolutionShape, int, float[], float[], boolean, boolean)}, with the layout of each
     * activation argument: an argument already in the layout oneDNN computes in (NHWC for small channel counts on
     * AVX-512) is used without a reorder, so consecutive convolutions can hand NHWC arrays to each other.
     *
     * @param shape the convolution geometry; the bottom/right padding is what its output size needs
     * @param batch minibatch size, &ge; 1
     * @param weights {@code [outChannels, inChannels, kernelHeight, kernelWidth]} row-major; copied
     * @param bias {@code [outChannels]}; copied
     * @param relu true to apply a ReLU to the output (after the residual, fused into the primitive)
     * @param residual true if every call adds a residual of the output's shape (oneDNN's sum post-op)
     * @param input the input's layout
     * @param output the output's layout
     * @param residualLayout the residual's layout (ignored without a residual)
     * @return the convolution
     * @throws IllegalArgumentException if {@code batch < 1}, a layout is null or an array's length does not match
     *     the shape
     * @throws IllegalStateException if oneDNN is not {@link OneDnn#available()} or rejects the shape
     */
    public static OneDnnInference create(ConvolutionShape shape, int batch, float[] weights, float[] bias,
                                         boolean relu, boolean residual, ActivationLayout input,
                                         ActivationLayout output, ActivationLayout residualLayout) {
        if (input == null || output == null || residualLayout == null) {
            throw new IllegalArgumentException("input, output and residualLayout must not be null, got " + input
                    + ", " + output + ", " + residualLayout);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        long weightLength = (long) shape.outChannels() * shape.patchSize();
        if (weights.length != weightLength) {
            throw new IllegalArgumentException("weights must have " + weightLength + " elements, got "
                    + weights.length);
        }
        if (bias.length != shape.outChannels()) {
            throw new IllegalArgumentException("bias must have " + shape.outChannels() + " elements, got "
                    + bias.length);
        }
        if (!OneDnn.available()) {
            throw new IllegalStateException("oneDNN is not available: check OneDnn.available() first");
        }
        Resources resources = new Resources();
        Owned owned = new Owned(resources);
        try {
            OneDnnInference convolution = new OneDnnInference(shape, batch, weights, bias, relu, residual,
                    new ActivationLayout[] {input, output, residualLayout}, resources, owned);
            CLEANER.register(convolution, owned);
            return convolution;
        } catch (RuntimeException e) {
            owned.run();
            throw e;
        }
    }

    /**
     * @param shape a geometry
     * @param batch a minibatch size
     * @return true if this instance computes that shape at that batch size
     */
    public boolean computes(ConvolutionShape shape, int batch) {
        return this.shape.equals(shape) && this.batch == batch;
    }

    /** @return true if the ReLU is fused */
    public boolean fusesRelu() {
        return relu;
    }

    /** @return true if every call adds a residual ({@link #forward(INDArray, INDArray, INDArray)}) */
    public boolean addsResidual() {
        return residual;
    }

    /**
     * {@code output = conv(input, weights) + bias}, then the ReLU if {@link #fusesRelu()}.
     *
     * @param input {@code [batch, inChannels, height, width]}, float32, 'c'-contiguous host memory; not modified
     * @param output {@code [batch, outChannels, outHeight, outWidth]}, float32, 'c'-contiguous; overwritten
     * @throws IllegalArgumentException if an array's length does not match the shape
     */
    public void forward(INDArray input, INDArray output) {
        if (residual) {
            throw new IllegalStateException("this convolution adds a residual: call forward(input, residual, output)");
        }
        DnnlShapes.bind(src, input, inputDims, "input");
        DnnlShapes.bind(dst, output, outputDims, "output");
        forward.run();
    }

    /**
     * {@code output = conv(input, weights) + bias + residual}, then the ReLU if {@link #fusesRelu()}, in one
     * primitive call (oneDNN's sum post-op).
     *
     * @param input {@code [batch, inChannels, height, width]}, float32, 'c'-contiguous host memory; not modified
     * @param residual of the output's shape, float32, 'c'-contiguous host memory, not {@code output}'s memory; not
     *     modified
     * @param output {@code [batch, outChannels, outHeight, outWidth]}, float32, 'c'-contiguous; overwritten
     * @throws IllegalArgumentException if an array's length does not match the shape, or the residual is the
     *     output's memory
     * @throws IllegalStateException if this instance was created without a residual
     */
    public void forward(INDArray input, INDArray residual, INDArray output) {
        if (!this.residual) {
            throw new IllegalStateException("this convolution was created without a residual: call forward(input, "
                    + "output)");
        }
        if (residual != null && output != null && residual.data().addressPointer().address() == output.data()
                .addressPointer().address()) {
            throw new IllegalArgumentException("residual must not share the output's memory");
        }
        DnnlShapes.bind(src, input, inputDims, "input");
        DnnlShapes.bind(addend, residual, outputDims, "residual");
        DnnlShapes.bind(dst, output, outputDims, "output");
        forward.run();
    }

    /** @return the number of bytes of the weights in oneDNN's layout (what an instance keeps besides the bias) */
    public long weightBytes() {
        return weightBytes;
    }

    /** @return the number of bytes of the scratchpad this instance keeps for its calls (0 if the primitive needs none) */
    public long scratchpadBytes() {
        return scratchpadBytes;
    }

    private static int tag(ActivationLayout layout) {
        return layout == ActivationLayout.NHWC ? dnnl_nhwc : dnnl_nchw;
    }

    /**
     * @return the inference primitive descriptor of {@code desc}, with a residual sum and/or a ReLU as post-ops (also
     *     used by {@link OneDnnLayerInference}); the caller destroys it
     */
    static dnnl_primitive_desc primitiveDesc(dnnl_convolution_desc_t desc, boolean relu, boolean residual) {
        return primitiveDesc(desc, relu, residual, false);
    }

    /**
     * @param userScratchpad true if every call passes the primitive's scratchpad ({@code DNNL_ARG_SCRATCHPAD}, of
     *     {@code dnnl_query_scratchpad_md}'s size when above 0) instead of oneDNN allocating one per call
     * @return as {@link #primitiveDesc(dnnl_convolution_desc_t, boolean, boolean)}
     */
    static dnnl_primitive_desc primitiveDesc(dnnl_convolution_desc_t desc, boolean relu, boolean residual,
                                             boolean userScratchpad) {
        dnnl_primitive_attr attr = new dnnl_primitive_attr();
        dnnl_post_ops postOps = new dnnl_post_ops();
        Resources.check(dnnl_primitive_attr_create(attr), "primitive attr");
        if (userScratchpad) {
            Resources.check(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user),
                    "scratchpad mode");
        }
        boolean any = relu || residual;
        try {
            if (any) {
                Resources.check(dnnl_post_ops_create(postOps), "post ops");
                if (residual) {
                    Resources.check(dnnl_post_ops_append_sum(postOps, 1.0f), "sum post op");
                }
                if (relu) {
                    Resources.check(dnnl_post_ops_append_eltwise(postOps, 1.0f, dnnl_eltwise_relu, 0.0f, 0.0f),
                            "relu post op");
                }
                Resources.check(dnnl_primitive_attr_set_post_ops(attr, postOps), "post ops attr");
            }
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            Resources.check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(desc), attr, Natives.engine(),
                    null), "convolution inference primitive desc");
            return pd;
        } finally {
            if (any) {
                dnnl_post_ops_destroy(postOps);
            }
            dnnl_primitive_attr_destroy(attr);
        }
    }

    /** The native objects: the {@link Resources} and the primitive descriptor made outside them. */
    private static final class Owned implements Runnable {
        private final Resources resources;
        private dnnl_primitive_desc pd;
        private dnnl_memory weights;
        private dnnl_memory scratchpad;

        Owned(Resources resources) {
            this.resources = resources;
        }

        @Override
        public void run() {
            resources.run();
            if (weights != null) {
                dnnl_memory_destroy(weights);
                weights = null;
            }
            if (scratchpad != null) {
                dnnl_memory_destroy(scratchpad);
                scratchpad = null;
            }
            if (pd != null) {
                dnnl_primitive_desc_destroy(pd);
                pd = null;
            }
        }
    }
}
