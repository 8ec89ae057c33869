package org.rpg4j.dl4j.layers.onednn;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_MEAN;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_VARIANCE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;
import static org.bytedeco.dnnl.global.dnnl.dnnl_backward;
import static org.bytedeco.dnnl.global.dnnl.dnnl_batch_normalization_backward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_batch_normalization_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_fuse_norm_relu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nChw16c;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_workspace_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_use_scale;
import static org.bytedeco.dnnl.global.dnnl.dnnl_use_shift;
import static org.bytedeco.dnnl.global.dnnl.dnnl_x;

import java.lang.ref.Cleaner;
import java.util.Arrays;
import org.bytedeco.dnnl.dnnl_batch_normalization_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * oneDNN's training-mode batch normalisation of one NCHW float32 shape: forward (batch statistics, scale and shift,
 * optionally the ReLU fused into the output) and backward (input, scale and shift gradients), run on oneDNN's
 * OpenMP threads on the caller's arrays: read and written directly in NCHW, or reordered from and to oneDNN's
 * blocked layout {@code nChw16c}, whose JIT kernels are faster than its generic NCHW ones. The
 * per-channel vectors (scale, shift, mean, variance and their gradients) pass as {@code double[]} through native
 * buffers of this instance. The variance is the biased one ({@code mean((x - mean)^2)}), as the Java loops compute.
 *
 * <p>Not thread-safe: one instance serves one layer, called by one thread at a time. Create instances only when
 * {@link OneDnn#available()}.
 */
public final class OneDnnBatchNorm {

    private static final Cleaner CLEANER = Cleaner.create();

    private final long[] dims;
    private final double eps;
    private final int channels;
    private final Resources resources;
    private final boolean blocked;
    /** The callers' arrays' layout, NCHW. */
    private final dnnl_memory_desc_t user;
    /** The layout the primitives compute in: {@link #user}, or nChw16c with reorders from and to it. */
    private final dnnl_memory_desc_t data;
    private final int flags;
    private final dnnl_memory src;
    private final dnnl_memory dst;
    private final dnnl_memory diffSrc;
    private final dnnl_memory diffDst;
    private final FloatPointer scale;
    private final FloatPointer shift;
    private final FloatPointer mean;
    private final FloatPointer variance;
    private final FloatPointer diffScale;
    private final FloatPointer diffShift;
    private final dnnl_memory scaleMemory;
    private final dnnl_memory shiftMemory;
    private final dnnl_memory meanMemory;
    private final dnnl_memory varianceMemory;
    private final Plan forward;
    private final Plan backward;
    /** The plain forward's workspace, or null: none without fuse_norm_relu for the implementations seen. */
    private dnnl_memory plainWorkspace;
    /** The forward with the ReLU fused, created at its first use. */
    private Plan forwardRelu;

    private OneDnnBatchNorm(long[] dims, double eps, boolean blocked, Resources r) {
        this.dims = dims.clone();
        this.eps = eps;
        this.blocked = blocked;
        this.resources = r;
        channels = (int) dims[1];
        user = DnnlShapes.md(r, dims, dnnl_nchw);
        data = blocked ? DnnlShapes.md(r, dims, dnnl_nChw16c) : user;
        dnnl_memory_desc_t vector = DnnlShapes.md(r, new long[] {channels}, dnnl_x);
        flags = dnnl_use_scale | dnnl_use_shift;

        dnnl_batch_normalization_desc_t plainDesc = r.own(new dnnl_batch_normalization_desc_t());
        Resources.check(dnnl_batch_normalization_forward_desc_init(plainDesc, dnnl_forward_training, data, (float) eps,
                flags), "batch normalization forward desc");
        dnnl_primitive_desc plainPd = r.primitiveDesc(plainDesc, null);
        dnnl_batch_normalization_desc_t backwardDesc = r.own(new dnnl_batch_normalization_desc_t());
        Resources.check(dnnl_batch_normalization_backward_desc_init(backwardDesc, dnnl_backward, data, data,
                (float) eps, flags), "batch normalization backward desc");
        dnnl_primitive_desc backwardPd = r.primitiveDesc(backwardDesc, plainPd);

        src = r.userMemory(user);
        dst = r.userMemory(user);
        diffSrc = r.userMemory(user);
        diffDst = r.userMemory(user);
        scale = r.own(new FloatPointer(channels));
        shift = r.own(new FloatPointer(channels));
        mean = r.own(new FloatPointer(channels));
        variance = r.own(new FloatPointer(channels));
        diffScale = r.own(new FloatPointer(channels));
        diffShift = r.own(new FloatPointer(channels));

        scaleMemory = bound(r, vector, scale);
        shiftMemory = bound(r, vector, shift);
        meanMemory = bound(r, vector, mean);
        varianceMemory = bound(r, vector, variance);
        plainWorkspace = workspace(plainPd);
        forward = forwardPlan(plainPd, plainWorkspace);

        backward = new Plan(r);
        Plan.Call b = backward.call(backwardPd);
        b.input(DNNL_ARG_SRC, src, user, dnnl_query_src_md);
        b.direct(DNNL_ARG_MEAN, meanMemory);
        b.direct(DNNL_ARG_VARIANCE, varianceMemory);
        b.input(DNNL_ARG_DIFF_DST, diffDst, user, dnnl_query_diff_dst_md);
        b.direct(DNNL_ARG_SCALE, scaleMemory);
        // oneDNN 2.7 counts the shift among the backward's inputs although its gradients do not read it
        b.direct(DNNL_ARG_SHIFT, shiftMemory);
        dnnl_memory_desc_t backwardWs = dnnl_primitive_desc_query_md(backwardPd, dnnl_query_workspace_md, 0);
        if (backwardWs != null && !backwardWs.isNull() && dnnl_memory_desc_get_size(backwardWs) > 0) {
            // not expected without fuse_norm_relu; then the plain forward's workspace (not the fused one's)
            if (plainWorkspace == null) {
                throw new IllegalStateException("oneDNN's batch normalization backward wants a workspace that its "
                        + "forward does not write");
            }
            b.direct(DNNL_ARG_WORKSPACE, plainWorkspace);
        }
        b.output(DNNL_ARG_DIFF_SRC, diffSrc, user, dnnl_query_diff_src_md);
        b.direct(DNNL_ARG_DIFF_SCALE, bound(r, vector, diffScale));
        b.direct(DNNL_ARG_DIFF_SHIFT, bound(r, vector, diffShift));
        backward.finish();
    }

    private Plan forwardPlan(dnnl_primitive_desc pd, dnnl_memory ws) {
        Plan plan = new Plan(resources);
        Plan.Call f = plan.call(pd);
        f.input(DNNL_ARG_SRC, src, user, dnnl_query_src_md);
        f.output(DNNL_ARG_DST, dst, user, dnnl_query_dst_md);
        f.direct(DNNL_ARG_SCALE, scaleMemory);
        f.direct(DNNL_ARG_SHIFT, shiftMemory);
        f.direct(DNNL_ARG_MEAN, meanMemory);
        f.direct(DNNL_ARG_VARIANCE, varianceMemory);
        // the ReLU mask of fuse_norm_relu (the layer's backward takes the gradient the ReLU already masked), or
        // whatever else the implementation keeps for its backward
        if (ws != null) {
            f.direct(DNNL_ARG_WORKSPACE, ws);
        }
        plan.finish();
        return plan;
    }

    /** @return a memory object with its own buffer for the primitive's workspace, or null if it needs none */
    private dnnl_memory workspace(dnnl_primitive_desc pd) {
        dnnl_memory_desc_t md = dnnl_primitive_desc_query_md(pd, dnnl_query_workspace_md, 0);
        long bytes = md == null || md.isNull() ? 0 : dnnl_memory_desc_get_size(md);
        if (bytes == 0) {
            return null;
        }
        dnnl_memory ws = resources.userMemory(md);
        Resources.setHandle(ws, resources.own(new BytePointer(bytes)));
        return ws;
    }

    private Plan forwardRelu() {
        if (forwardRelu == null) {
            dnnl_batch_normalization_desc_t reluDesc = resources.own(new dnnl_batch_normalization_desc_t());
            Resources.check(dnnl_batch_normalization_forward_desc_init(reluDesc, dnnl_forward_training, data,
                    (float) eps, flags | dnnl_fuse_norm_relu), "batch normalization + ReLU forward desc");
            dnnl_primitive_desc reluPd = resources.primitiveDesc(reluDesc, null);
            forwardRelu = forwardPlan(reluPd, workspace(reluPd));
        }
        return forwardRelu;
    }

    private static dnnl_memory bound(Resources r, dnnl_memory_desc_t md, FloatPointer data) {
        dnnl_memory memory = r.userMemory(md);
        Resources.setHandle(memory, data);
        return memory;
    }

    /**
     * Creates the primitives for a shape (keep the instance for every call of that shape and settings).
     *
     * @param dims {@code [batch, channels, height, width]}, each &ge; 1
     * @param eps added to the variance, &gt; 0
     * @param blocked true: compute in oneDNN's blocked layout nChw16c (its JIT kernels; reorders from and to the
     *     NCHW arrays, through the thread's scratch buffers), false: on the NCHW arrays directly (its generic
     *     {@code ncsp} implementation, no reorder)
     * @return the batch normalisation
     * @throws IllegalArgumentException if {@code dims} is not four positive sizes or {@code eps} is not positive
     * @throws IllegalStateException if oneDNN is not {@link OneDnn#available()} or rejects the shape
     */
    public static OneDnnBatchNorm create(long[] dims, double eps, boolean blocked) {
        if (dims == null || dims.length != 4 || dims[0] < 1 || dims[1] < 1 || dims[2] < 1 || dims[3] < 1) {
            throw new IllegalArgumentException("dims must be four sizes >= 1 [batch, channels, height, width], got "
                    + Arrays.toString(dims));
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("eps must be > 0, got " + eps);
        }
        if (!OneDnn.available()) {
            throw new IllegalStateException("oneDNN is not available: check OneDnn.available() first");
        }
        Resources resources = new Resources();
        try {
            OneDnnBatchNorm norm = new OneDnnBatchNorm(dims, eps, blocked, resources);
            CLEANER.register(norm, resources);
            return norm;
        } catch (RuntimeException e) {
            resources.run();
            throw e;
        }
    }

    /**
     * @param shape an input shape
     * @param eps the epsilon
     * @param blocked the layout choice
     * @return true if this instance computes exactly that
     */
    public boolean computes(long[] shape, double eps, boolean blocked) {
        return Arrays.equals(dims, shape) && this.eps == eps && this.blocked == blocked;
    }

    /**
     * Training forward: {@code y = gamma * (x - mean) / sqrt(variance + eps) + beta} with the batch's statistics,
     * then {@code max(y, 0)} if {@code relu} (oneDNN's {@code fuse_norm_relu}).
     *
     * @param input {@code [batch, channels, height, width]}, float32, 'c'-contiguous; not modified
     * @param gamma {@code channels} values; not modified
     * @param beta {@code channels} values; not modified
     * @param output same shape as {@code input}, float32, 'c'-contiguous; overwritten
     * @param batchMean {@code channels} values; overwritten with the batch mean
     * @param batchVariance {@code channels} values; overwritten with the biased batch variance
     * @param relu true: rectify the output
     * @throws IllegalArgumentException if an array's length does not match the shape
     */
    public void forward(INDArray input, double[] gamma, double[] beta, INDArray output, double[] batchMean,
                        double[] batchVariance, boolean relu) {
        DnnlShapes.bind(src, input, dims, "input");
        DnnlShapes.bind(dst, output, dims, "output");
        put(gamma, scale, "gamma");
        put(beta, shift, "beta");
        (relu ? forwardRelu() : forward).run();
        get(mean, batchMean, "batchMean");
        get(variance, batchVariance, "batchVariance");
    }

    /**
     * Backward of the batch normalisation (without the ReLU: {@code outputGradient} is already masked by it).
     *
     * @param input the forward input; not modified
     * @param batchMean the batch mean the forward used; not modified
     * @param batchVariance the biased batch variance the forward used; not modified
     * @param gamma {@code channels} values; not modified
     * @param outputGradient dL/d(output), same shape as {@code input}; not modified
     * @param inputGradient dL/d(input), same shape; overwritten
     * @param gammaGradient {@code channels} values; overwritten with {@code sum(dy * xhat)}
     * @param betaGradient {@code channels} values; overwritten with {@code sum(dy)}
     * @throws IllegalArgumentException if an array's length does not match the shape
     */
    public void backward(INDArray input, double[] batchMean, double[] batchVariance, double[] gamma,
                         INDArray outputGradient, INDArray inputGradient, double[] gammaGradient,
                         double[] betaGradient) {
        DnnlShapes.bind(src, input, dims, "input");
        DnnlShapes.bind(diffDst, outputGradient, dims, "outputGradient");
        DnnlShapes.bind(diffSrc, inputGradient, dims, "inputGradient");
        put(batchMean, mean, "batchMean");
        put(batchVariance, variance, "batchVariance");
        put(gamma, scale, "gamma");
        backward.run();
        get(diffScale, gammaGradient, "gammaGradient");
        get(diffShift, betaGradient, "betaGradient");
    }

    private void put(double[] values, FloatPointer target, String what) {
        check(values, what);
        for (int i = 0; i < channels; i++) {
            target.put(i, (float) values[i]);
        }
    }

    private void get(FloatPointer source, double[] values, String what) {
        check(values, what);
        for (int i = 0; i < channels; i++) {
            values[i] = source.get(i);
        }
    }

    private void check(double[] values, String what) {
        if (values == null || values.length != channels) {
            throw new IllegalArgumentException(what + " must have " + channels + " values, got "
                    + (values == null ? "null" : values.length));
        }
    }
}
