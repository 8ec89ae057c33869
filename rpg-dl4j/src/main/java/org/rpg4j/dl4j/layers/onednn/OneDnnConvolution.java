package org.rpg4j.dl4j.layers.onednn;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_equal;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_weights_md;

import java.lang.ref.Cleaner;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.BytePointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.sparse.kernel.ConvolutionShape;

/**
 * oneDNN's convolution for one {@link ConvolutionShape}, batch size and bias choice, float32: forward, backward-data and backward-weights
 * (+ bias) primitives with the direct algorithm, created once and run on the caller's arrays (their host
 * memory is handed to oneDNN, no copy). With {@link Layout#BLOCKED} the primitives work in the layouts oneDNN
 * chooses (e.g. {@code nChw16c}) and cached reorder primitives convert from and to the plain arrays through
 * scratch buffers shared by every instance on a thread; the output gradient is reordered once for both
 * backward primitives when they want the same layout. Every output is overwritten.
 *
 * <p>Not thread-safe: one instance serves one layer, called by one thread at a time (as DL4J calls layers).
 * Create instances only when {@link OneDnn#available()}.
 */
public final class OneDnnConvolution {

    /** The layouts the primitives compute in. */
    public enum Layout {
        /** The layouts oneDNN prefers for the shape, with reorders from and to the plain arrays (fastest). */
        BLOCKED,
        /** NCHW and {@code [out, in, kh, kw]} throughout, no reorders (for comparison: much slower backward). */
        PLAIN
    }

    private static final Cleaner CLEANER = Cleaner.create();
    /** oneDNN's preferred alignment for its buffers. */
    private static final int KEPT_ALIGNMENT = 64;

    private final ConvolutionShape shape;
    private final int batch;
    private final boolean hasBias;
    private final PlainArguments plain;
    private final dnnl_memory diffSrc;
    private final dnnl_memory diffWeights;
    private final dnnl_memory diffBias;
    private final dnnl_memory diffDst;
    private final Plan forward;
    private final Plan backward;
    /** The blocked input kept from a training forward for the weight gradient, or null if not blocked. */
    private final dnnl_memory srcKept;
    private final long srcKeptBytes;
    private final Plan forwardKeeping;
    private final Plan backwardKept;
    private BytePointer keptBuffer;
    private long keptAddress;
    private boolean keptValid;

    private OneDnnConvolution(ConvolutionShape shape, int batch, boolean hasBias, Layout layout, Resources r) {
        this.shape = shape;
        this.batch = batch;
        this.hasBias = hasBias;
        plain = new PlainArguments(r, shape, batch, hasBias);
        dnnl_memory_desc_t srcUser = plain.srcDesc;
        dnnl_memory_desc_t weightsUser = plain.weightsDesc;
        dnnl_memory_desc_t dstUser = plain.dstDesc;
        dnnl_memory_desc_t biasUser = plain.biasDesc;
        boolean blocked = layout == Layout.BLOCKED;
        dnnl_primitive_desc forwardPd = r.primitiveDesc(DnnlShapes.forwardDesc(r, shape, batch, dnnl_forward_training,
                blocked, biasUser), null);
        dnnl_primitive_desc dataPd = r.primitiveDesc(DnnlShapes.backwardDataDesc(r, shape, batch, blocked), forwardPd);
        dnnl_primitive_desc weightsPd = r.primitiveDesc(DnnlShapes.backwardWeightsDesc(r, shape, batch, blocked,
                biasUser), forwardPd);

        dnnl_memory src = plain.src;
        dnnl_memory weights = plain.weights;
        dnnl_memory bias = plain.bias;
        dnnl_memory dst = plain.dst;
        diffSrc = r.userMemory(srcUser);
        diffWeights = r.userMemory(weightsUser);
        diffBias = hasBias ? r.userMemory(biasUser) : null;
        diffDst = r.userMemory(dstUser);

        forward = new Plan(r);
        Plan.Call conv = forward.call(forwardPd);
        conv.input(DNNL_ARG_SRC, src, srcUser, dnnl_query_src_md);
        conv.input(DNNL_ARG_WEIGHTS, weights, weightsUser, dnnl_query_weights_md);
        if (hasBias) {
            conv.direct(DNNL_ARG_BIAS, bias);
        }
        conv.output(DNNL_ARG_DST, dst, dstUser, dnnl_query_dst_md);
        forward.finish();

        backward = new Plan(r);
        Plan.Call data = backward.call(dataPd);
        data.input(DNNL_ARG_DIFF_DST, diffDst, dstUser, dnnl_query_diff_dst_md);
        data.input(DNNL_ARG_WEIGHTS, weights, weightsUser, dnnl_query_weights_md);
        data.output(DNNL_ARG_DIFF_SRC, diffSrc, srcUser, dnnl_query_diff_src_md);
        Plan.Call grads = backward.call(weightsPd);
        grads.input(DNNL_ARG_SRC, src, srcUser, dnnl_query_src_md);
        grads.input(DNNL_ARG_DIFF_DST, diffDst, dstUser, dnnl_query_diff_dst_md);
        if (hasBias) {
            grads.direct(DNNL_ARG_DIFF_BIAS, diffBias);
        }
        grads.output(DNNL_ARG_DIFF_WEIGHTS, diffWeights, weightsUser, dnnl_query_diff_weights_md);
        backward.finish();

        // The same blocked input for forward and weight gradient: a training forward can keep its copy
        dnnl_memory_desc_t forwardSrc = dnnl_primitive_desc_query_md(forwardPd, dnnl_query_src_md, 0);
        dnnl_memory_desc_t weightsSrc = dnnl_primitive_desc_query_md(weightsPd, dnnl_query_src_md, 0);
        if (dnnl_memory_desc_equal(forwardSrc, srcUser) == 0 && dnnl_memory_desc_equal(forwardSrc, weightsSrc) == 1) {
            srcKept = r.userMemory(forwardSrc);
            srcKeptBytes = dnnl_memory_desc_get_size(forwardSrc);
            forwardKeeping = new Plan(r);
            Plan.Call keeping = forwardKeeping.call(forwardPd);
            keeping.inputInto(DNNL_ARG_SRC, src, srcUser, srcKept, forwardSrc);
            keeping.input(DNNL_ARG_WEIGHTS, weights, weightsUser, dnnl_query_weights_md);
            if (hasBias) {
                keeping.direct(DNNL_ARG_BIAS, bias);
            }
            keeping.output(DNNL_ARG_DST, dst, dstUser, dnnl_query_dst_md);
            forwardKeeping.finish();
            backwardKept = new Plan(r);
            Plan.Call keptData = backwardKept.call(dataPd);
            keptData.input(DNNL_ARG_DIFF_DST, diffDst, dstUser, dnnl_query_diff_dst_md);
            keptData.input(DNNL_ARG_WEIGHTS, weights, weightsUser, dnnl_query_weights_md);
            keptData.output(DNNL_ARG_DIFF_SRC, diffSrc, srcUser, dnnl_query_diff_src_md);
            Plan.Call keptGrads = backwardKept.call(weightsPd);
            keptGrads.direct(DNNL_ARG_SRC, srcKept);
            keptGrads.input(DNNL_ARG_DIFF_DST, diffDst, dstUser, dnnl_query_diff_dst_md);
            if (hasBias) {
                keptGrads.direct(DNNL_ARG_DIFF_BIAS, diffBias);
            }
            keptGrads.output(DNNL_ARG_DIFF_WEIGHTS, diffWeights, weightsUser, dnnl_query_diff_weights_md);
            backwardKept.finish();
        } else {
            srcKept = null;
            srcKeptBytes = 0;
            forwardKeeping = null;
            backwardKept = null;
        }
    }

    /**
     * Creates the primitives for a shape (a few milliseconds: keep the instance for every call of that shape).
     *
     * @param shape the convolution geometry; the bottom/right padding is what its output size needs
     * @param batch minibatch size, &ge; 1
     * @param hasBias true if the convolution adds a bias {@code [outChannels]}
     * @param layout the layouts to compute in; {@link Layout#BLOCKED} for speed
     * @return the convolution
     * @throws IllegalArgumentException if {@code batch < 1}
     * @throws IllegalStateException if oneDNN is not {@link OneDnn#available()} or rejects the shape
     */
    public static OneDnnConvolution create(ConvolutionShape shape, int batch, boolean hasBias, Layout layout) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        if (!OneDnn.available()) {
            throw new IllegalStateException("oneDNN is not available: check OneDnn.available() first");
        }
        Resources resources = new Resources();
        try {
            OneDnnConvolution convolution = new OneDnnConvolution(shape, batch, hasBias, layout, resources);
            CLEANER.register(convolution, resources);
            return convolution;
        } catch (RuntimeException e) {
            resources.run();
            throw e;
        }
    }

    /**
     * @param shape a geometry
     * @param batch a minibatch size
     * @param hasBias whether there is a bias
     * @return true if this instance computes exactly that
     */
    public boolean computes(ConvolutionShape shape, int batch, boolean hasBias) {
        return this.shape.equals(shape) && this.batch == batch && this.hasBias == hasBias;
    }

    /**
     * {@code output = conv(input, weights) + bias}.
     *
     * @param input {@code [batch, inChannels, height, width]}, float32, 'c'-contiguous; not modified
     * @param weights {@code [outChannels, inChannels, kernelHeight, kernelWidth]}, float32, 'c'-contiguous (or
     *     any shape with that many elements in that order); not modified
     * @param bias {@code outChannels} elements, or null for a shape without bias; not modified
     * @param output {@code [batch, outChannels, outHeight, outWidth]}, float32, 'c'-contiguous; overwritten
     * @throws IllegalArgumentException if an array's length does not match the shape
     */
    public void forward(INDArray input, INDArray weights, INDArray bias, INDArray output) {
        plain.bind(input, weights, bias, output);
        keptValid = false;
        forward.run();
    }

    /**
     * {@link #forward} for training: when the primitives compute in a blocked input layout, the reordered
     * input is kept in this instance's own buffer ({@link #keptInputBytes()}, allocated at the first call) so
     * that the next {@link #backward} on the same input array skips that reorder. The input must not change
     * between this call and that backward pass (as DL4J's layers assume of their input); any other call of
     * {@link #forward} or {@link #forgetInput()} drops the kept copy.
     *
     * @param input as in {@link #forward}
     * @param weights as in {@link #forward}
     * @param bias as in {@link #forward}
     * @param output as in {@link #forward}; overwritten
     * @throws IllegalArgumentException if an array's length does not match the shape
     */
    public void forwardForTraining(INDArray input, INDArray weights, INDArray bias, INDArray output) {
        if (forwardKeeping == null) {
            forward(input, weights, bias, output);
            return;
        }
        plain.bind(input, weights, bias, output);
        if (keptBuffer == null) {
            keptBuffer = new BytePointer(srcKeptBytes + KEPT_ALIGNMENT);
            long shift = (KEPT_ALIGNMENT - (keptBuffer.address() & (KEPT_ALIGNMENT - 1))) & (KEPT_ALIGNMENT - 1);
            Resources.setHandle(srcKept, new BytePointer(keptBuffer).position(shift));
        }
        keptValid = false;
        forwardKeeping.run();
        keptAddress = input.data().addressPointer().address();
        keptValid = true;
    }

    /** Drops the input kept by {@link #forwardForTraining} (e.g. when the layer's input is replaced). */
    public void forgetInput() {
        keptValid = false;
    }

    /**
     * @return the bytes of the blocked input copy {@link #forwardForTraining} keeps per instance (0 when the
     *     primitives read the input as it is and nothing is kept)
     */
    public long keptInputBytes() {
        return srcKeptBytes;
    }

    /**
     * The input, weight and bias gradients of {@code output = conv(input, weights) + bias}.
     *
     * @param input the forward input {@code [batch, inChannels, height, width]}; not modified
     * @param weights the weights {@code [outChannels, inChannels, kernelHeight, kernelWidth]}; not modified
     * @param outputGradient dL/d(output) {@code [batch, outChannels, outHeight, outWidth]}; not modified
     * @param inputGradient dL/d(input), same shape as {@code input}; overwritten
     * @param weightGradient dL/d(weights), same length as {@code weights}; overwritten
     * @param biasGradient dL/d(bias), {@code outChannels} elements, or null without bias; overwritten
     * @throws IllegalArgumentException if an array's length does not match the shape
     */
    public void backward(INDArray input, INDArray weights, INDArray outputGradient, INDArray inputGradient,
                         INDArray weightGradient, INDArray biasGradient) {
        DnnlShapes.bind(plain.src, input, plain.inputDims, "input");
        DnnlShapes.bind(plain.weights, weights, plain.weightDims, "weights");
        DnnlShapes.bind(diffDst, outputGradient, plain.outputDims, "outputGradient");
        DnnlShapes.bind(diffSrc, inputGradient, plain.inputDims, "inputGradient");
        DnnlShapes.bind(diffWeights, weightGradient, plain.weightDims, "weightGradient");
        if (diffBias != null) {
            DnnlShapes.bind(diffBias, biasGradient, plain.biasDims, "biasGradient");
        }
        if (keptValid && input.data().addressPointer().address() == keptAddress) {
            backwardKept.run();
        } else {
            backward.run();
        }
    }

    /** @return how many reorders the forward and the backward pass run, e.g. {@code "forward 3, backward 5"} */
    public String reorders() {
        return "forward " + forward.reorders() + ", backward " + backward.reorders()
                + (backwardKept == null ? "" : " (" + backwardKept.reorders() + " after a training forward)");
    }

}
