package org.rpg4j.dl4j.layers.onednn;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_inference;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_equal;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_weights_md;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.sparse.kernel.ConvolutionShape;

/**
 * A DL4J layer's inference convolution on oneDNN ({@code forward_inference}, direct algorithm, float32) for one
 * {@link ConvolutionShape}, batch size, bias choice and activation: the ReLU, if asked for, is fused into the
 * primitive (no separate activation op), and the weights are kept in the layout oneDNN prefers for the shape
 * between calls. The layer's weights can change between calls (updater steps, {@code setParams}, in-place
 * edits), so every call compares their bytes with a plain copy taken at the last reorder (one {@code memcmp})
 * and reorders them again only if a bit differs. A call then runs the input reorder, the convolution and the
 * output reorder, against four primitive calls and a separate activation op in {@link OneDnnConvolution}'s
 * training forward.
 *
 * <p>Not thread-safe: one instance serves one layer, called by one thread at a time. Create instances only when
 * {@link OneDnn#available()}.
 */
public final class OneDnnLayerInference {

    private static final Cleaner CLEANER = Cleaner.create();
    /** oneDNN's preferred alignment for its buffers. */
    private static final int ALIGNMENT = 64;

    private final ConvolutionShape shape;
    private final int batch;
    private final boolean hasBias;
    private final boolean relu;
    private final PlainArguments plain;
    private final Plan forward;
    /** The weights in oneDNN's layout, or null when it reads the plain array directly (nothing kept). */
    private final dnnl_memory blockedWeights;
    private final dnnl_primitive weightReorder;
    private final dnnl_exec_arg_t weightReorderArgs;
    private final Resources resources;
    /** The plain weights the blocked copy was made from (bytes compared at every call). */
    private final BytePointer plainCopy;
    private final long weightBytes;
    private boolean blockedValid;
    private long weightReorders;

    private OneDnnLayerInference(ConvolutionShape shape, int batch, boolean hasBias, boolean relu, Resources r,
                                 Owned owned) {
        this.shape = shape;
        this.batch = batch;
        this.hasBias = hasBias;
        this.relu = relu;
        this.resources = r;
        plain = new PlainArguments(r, shape, batch, hasBias);
        dnnl_memory_desc_t srcUser = plain.srcDesc;
        dnnl_memory_desc_t weightsUser = plain.weightsDesc;
        dnnl_memory_desc_t dstUser = plain.dstDesc;
        dnnl_memory_desc_t biasUser = plain.biasDesc;
        dnnl_convolution_desc_t desc = DnnlShapes.forwardDesc(r, shape, batch, dnnl_forward_inference, true, biasUser);
        dnnl_primitive_desc pd = OneDnnInference.primitiveDesc(desc, relu, false);
        owned.pd = pd;

        dnnl_memory weights = plain.weights;
        dnnl_memory_desc_t weightsWant = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
        weightBytes = dnnl_memory_desc_get_size(weightsUser);
        if (dnnl_memory_desc_equal(weightsWant, weightsUser) == 1) {
            blockedWeights = null;
            weightReorder = null;
            weightReorderArgs = null;
            plainCopy = null;
        } else {
            long blockedBytes = dnnl_memory_desc_get_size(weightsWant);
            BytePointer blockedBuffer = owned.keep(new BytePointer(blockedBytes + ALIGNMENT));
            blockedWeights = r.userMemory(weightsWant);
            Resources.setHandle(blockedWeights, aligned(blockedBuffer));
            weightReorder = r.reorder(weightsUser, weightsWant);
            weightReorderArgs = r.own(new dnnl_exec_arg_t(2));
            weightReorderArgs.position(0).arg(DNNL_ARG_FROM).memory(weights);
            weightReorderArgs.position(1).arg(DNNL_ARG_TO).memory(blockedWeights);
            weightReorderArgs.position(0);
            plainCopy = owned.keep(new BytePointer(weightBytes));
        }

        forward = new Plan(r);
        Plan.Call conv = forward.call(pd);
        conv.input(DNNL_ARG_SRC, plain.src, srcUser, dnnl_query_src_md);
        conv.direct(DNNL_ARG_WEIGHTS, blockedWeights != null ? blockedWeights : weights);
        if (hasBias) {
            conv.direct(DNNL_ARG_BIAS, plain.bias);
        }
        conv.output(DNNL_ARG_DST, plain.dst, dstUser, dnnl_query_dst_md);
        forward.finish();
    }

    /**
     * Creates the primitives for a shape (a few milliseconds: keep the instance for every call of that shape).
     *
     * @param shape the convolution geometry; the bottom/right padding is what its output size needs
     * @param batch minibatch size, &ge; 1
     * @param hasBias true if the convolution adds a bias {@code [outChannels]}
     * @param relu true to apply a ReLU to the output, fused into the primitive
     * @return the convolution
     * @throws IllegalArgumentException if {@code batch < 1}
     * @throws IllegalStateException if oneDNN is not {@link OneDnn#available()} or rejects the shape
     */
    public static OneDnnLayerInference create(ConvolutionShape shape, int batch, boolean hasBias, boolean relu) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        if (!OneDnn.available()) {
            throw new IllegalStateException("oneDNN is not available: check OneDnn.available() first");
        }
        Resources resources = new Resources();
        Owned owned = new Owned(resources);
        try {
            OneDnnLayerInference convolution = new OneDnnLayerInference(shape, batch, hasBias, relu, resources,
                    owned);
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
     * @param hasBias whether there is a bias
     * @param relu whether the ReLU is fused
     * @return true if this instance computes exactly that
     */
    public boolean computes(ConvolutionShape shape, int batch, boolean hasBias, boolean relu) {
        return this.shape.equals(shape) && this.batch == batch && this.hasBias == hasBias && this.relu == relu;
    }

    /**
     * {@code output = conv(input, weights) + bias}, then the ReLU if this instance fuses it. The weights are
     * reordered into oneDNN's layout only if their bytes differ from those of the last reorder.
     *
     * @param input {@code [batch, inChannels, height, width]}, float32, 'c'-contiguous host memory; not modified
     * @param weights {@code [outChannels, inChannels, kernelHeight, kernelWidth]}, float32, 'c'-contiguous (or
     *     any shape with that many elements in that order); not modified
     * @param bias {@code outChannels} elements, or null for a shape without bias; not modified
     * @param output {@code [batch, outChannels, outHeight, outWidth]}, float32, 'c'-contiguous; overwritten
     * @throws IllegalArgumentException if an array's length does not match the shape
     */
    public void forward(INDArray input, INDArray weights, INDArray bias, INDArray output) {
        plain.bind(input, weights, bias, output);
        if (blockedWeights != null) {
            Pointer plainWeights = new BytePointer(weights.data().addressPointer()).position(0);
            if (!blockedValid || Pointer.memcmp(plainWeights, plainCopy, weightBytes) != 0) {
                Pointer.memcpy(plainCopy, plainWeights, weightBytes);
                Resources.check(dnnl_primitive_execute(weightReorder, resources.stream(), 2, weightReorderArgs),
                        "weight reorder");
                blockedValid = true;
                weightReorders++;
            }
        }
        forward.run();
    }

    /** @return how many times the weights were reordered into oneDNN's layout (for tests) */
    public long weightReorders() {
        return weightReorders;
    }

    /** @return true if the weights are kept in oneDNN's layout between calls (false: read where they are) */
    public boolean keepsWeights() {
        return blockedWeights != null;
    }

    private static BytePointer aligned(BytePointer buffer) {
        long shift = (ALIGNMENT - (buffer.address() & (ALIGNMENT - 1))) & (ALIGNMENT - 1);
        return new BytePointer(buffer).position(shift);
    }

    /** The native objects: the {@link Resources}, the primitive descriptor made outside them, the buffers. */
    private static final class Owned implements Runnable {
        private final Resources resources;
        private final List<BytePointer> buffers = new ArrayList<>();
        private dnnl_primitive_desc pd;

        Owned(Resources resources) {
            this.resources = resources;
        }

        BytePointer keep(BytePointer buffer) {
            buffers.add(buffer);
            return buffer;
        }

        @Override
        public void run() {
            resources.run();
            if (pd != null) {
                dnnl_primitive_desc_destroy(pd);
                pd = null;
            }
            buffers.forEach(BytePointer::close);
            buffers.clear();
        }
    }
}
