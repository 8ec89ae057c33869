package org.rpg4j.dl4j.layers.onednn;

import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_backward_data_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_backward_weights_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_init_by_tag;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_oihw;

import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.javacpp.BytePointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.sparse.kernel.ConvolutionShape;

/**
 * The oneDNN descriptions of a convolution's geometry, its operation descriptors (direct algorithm, float32), and
 * the binding of arrays to its memory objects, shared by the training and the inference primitives.
 */
final class DnnlShapes {

    private DnnlShapes() {
    }

    /**
     * @param r owner of the new descriptor
     * @param dims the tensor's dimensions
     * @param tag a oneDNN format tag ({@code dnnl_nchw}, {@code dnnl_format_tag_any}, ...)
     * @return a float32 memory descriptor, owned by {@code r}
     */
    static dnnl_memory_desc_t md(Resources r, long[] dims, int tag) {
        dnnl_memory_desc_t md = r.own(new dnnl_memory_desc_t());
        Resources.check(dnnl_memory_desc_init_by_tag(md, dims.length, dims, dnnl_f32, tag), "memory desc");
        return md;
    }

    /** @return the input's dimensions {@code {batch, inChannels, inHeight, inWidth}} */
    static long[] inputDims(ConvolutionShape shape, int batch) {
        return new long[] {batch, shape.inChannels(), shape.inHeight(), shape.inWidth()};
    }

    /** @return the weights' dimensions {@code {outChannels, inChannels, kernelHeight, kernelWidth}} */
    static long[] weightDims(ConvolutionShape shape) {
        return new long[] {shape.outChannels(), shape.inChannels(), shape.kernelHeight(), shape.kernelWidth()};
    }

    /** @return the output's dimensions {@code {batch, outChannels, outHeight, outWidth}} */
    static long[] outputDims(ConvolutionShape shape, int batch) {
        return new long[] {batch, shape.outChannels(), shape.outHeight(), shape.outWidth()};
    }

    /** @return {@code {strideHeight, strideWidth}} */
    private static long[] strides(ConvolutionShape shape) {
        return new long[] {shape.strideHeight(), shape.strideWidth()};
    }

    /** @return {@code {padTop, padLeft}} */
    private static long[] padBefore(ConvolutionShape shape) {
        return new long[] {shape.padTop(), shape.padLeft()};
    }

    /**
     * @return bottom and right padding: what the output size needs, as in {@link ConvolutionShape} (never negative:
     *     integer division floors)
     */
    private static long[] padAfter(ConvolutionShape shape) {
        return new long[] {
                Math.max(0, (shape.outHeight() - 1) * shape.strideHeight() + shape.kernelHeight() - shape.inHeight()
                        - shape.padTop()),
                Math.max(0, (shape.outWidth() - 1) * shape.strideWidth() + shape.kernelWidth() - shape.inWidth()
                        - shape.padLeft())};
    }

    /**
     * The forward convolution descriptor of a shape at a batch size.
     *
     * @param r owner of the descriptors
     * @param shape the convolution geometry
     * @param batch minibatch size
     * @param propKind {@code dnnl_forward_training} or {@code dnnl_forward_inference}
     * @param any true to leave the input, weight and output layouts to oneDNN ({@code dnnl_format_tag_any}), false
     *     for NCHW, {@code [out, in, kh, kw]} and NCHW
     * @param bias the bias's descriptor, or null without bias
     * @return the descriptor, owned by {@code r}
     */
    static dnnl_convolution_desc_t forwardDesc(Resources r, ConvolutionShape shape, int batch, int propKind,
                                               boolean any, dnnl_memory_desc_t bias) {
        dnnl_convolution_desc_t desc = r.own(new dnnl_convolution_desc_t());
        Resources.check(dnnl_convolution_forward_desc_init(desc, propKind, dnnl_convolution_direct, input(r, shape,
                batch, any), weights(r, shape, any), bias, output(r, shape, batch, any), strides(shape), padBefore(
                        shape), padAfter(shape)), "convolution forward desc");
        return desc;
    }

    /**
     * The backward-data convolution descriptor of a shape at a batch size.
     *
     * @param r owner of the descriptors
     * @param shape the convolution geometry
     * @param batch minibatch size
     * @param any as in {@link #forwardDesc}
     * @return the descriptor, owned by {@code r}
     */
    static dnnl_convolution_desc_t backwardDataDesc(Resources r, ConvolutionShape shape, int batch, boolean any) {
        dnnl_convolution_desc_t desc = r.own(new dnnl_convolution_desc_t());
        Resources.check(dnnl_convolution_backward_data_desc_init(desc, dnnl_convolution_direct, input(r, shape, batch,
                any), weights(r, shape, any), output(r, shape, batch, any), strides(shape), padBefore(shape), padAfter(
                        shape)), "convolution backward data desc");
        return desc;
    }

    /**
     * The backward-weights convolution descriptor of a shape at a batch size.
     *
     * @param r owner of the descriptors
     * @param shape the convolution geometry
     * @param batch minibatch size
     * @param any as in {@link #forwardDesc}
     * @param bias the bias gradient's descriptor, or null without bias
     * @return the descriptor, owned by {@code r}
     */
    static dnnl_convolution_desc_t backwardWeightsDesc(Resources r, ConvolutionShape shape, int batch, boolean any,
                                                       dnnl_memory_desc_t bias) {
        dnnl_convolution_desc_t desc = r.own(new dnnl_convolution_desc_t());
        Resources.check(dnnl_convolution_backward_weights_desc_init(desc, dnnl_convolution_direct, input(r, shape,
                batch, any), weights(r, shape, any), bias, output(r, shape, batch, any), strides(shape), padBefore(
                        shape), padAfter(shape)), "convolution backward weights desc");
        return desc;
    }

    private static dnnl_memory_desc_t input(Resources r, ConvolutionShape shape, int batch, boolean any) {
        return md(r, inputDims(shape, batch), any ? dnnl_format_tag_any : dnnl_nchw);
    }

    private static dnnl_memory_desc_t weights(Resources r, ConvolutionShape shape, boolean any) {
        return md(r, weightDims(shape), any ? dnnl_format_tag_any : dnnl_oihw);
    }

    private static dnnl_memory_desc_t output(Resources r, ConvolutionShape shape, int batch, boolean any) {
        return md(r, outputDims(shape, batch), any ? dnnl_format_tag_any : dnnl_nchw);
    }

    /**
     * Points {@code memory} at an array's host buffer (no copy).
     *
     * @param memory a oneDNN memory object whose descriptor has {@code dims}
     * @param array float32, 'c'-contiguous, with the product of {@code dims} elements
     * @param dims the memory's dimensions
     * @param what the array's name for the error message
     * @throws IllegalArgumentException if the array is null or its length does not match {@code dims}
     */
    static void bind(dnnl_memory memory, INDArray array, long[] dims, String what) {
        long length = 1;
        for (long d : dims) {
            length *= d;
        }
        if (array == null || array.length() != length) {
            throw new IllegalArgumentException(what + " must have " + length + " elements for this convolution, got "
                    + (array == null ? "null" : array.length()));
        }
        // on ND4J's CPU backend a view's data buffer starts at the view's first element (as rpg-core's HostFloats)
        Resources.setHandle(memory, new BytePointer(array.data().addressPointer()).position(0));
    }
}
