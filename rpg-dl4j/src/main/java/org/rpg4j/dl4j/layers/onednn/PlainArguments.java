package org.rpg4j.dl4j.layers.onednn;

import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_oihw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_x;

import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.sparse.kernel.ConvolutionShape;

/**
 * The forward arguments of a convolution in the caller's plain layouts, for one {@link ConvolutionShape} and batch
 * size: the dimensions and float32 descriptors of the NCHW input and output, the {@code [out, in, kh, kw]} weights and
 * the optional bias vector, and one oneDNN memory per argument, which {@link #bind} points at the caller's arrays
 * before each call. Shared by {@link OneDnnConvolution} and {@link OneDnnLayerInference}; every descriptor and memory
 * is owned by the {@link Resources} it was made with.
 */
final class PlainArguments {

    /** {@code {batch, inChannels, inHeight, inWidth}}. */
    final long[] inputDims;
    /** {@code {outChannels, inChannels, kernelHeight, kernelWidth}}. */
    final long[] weightDims;
    /** {@code {batch, outChannels, outHeight, outWidth}}. */
    final long[] outputDims;
    /** {@code {outChannels}}. */
    final long[] biasDims;
    /** NCHW input. */
    final dnnl_memory_desc_t srcDesc;
    /** OIHW weights. */
    final dnnl_memory_desc_t weightsDesc;
    /** NCHW output. */
    final dnnl_memory_desc_t dstDesc;
    /** The bias vector, or null without bias. */
    final dnnl_memory_desc_t biasDesc;
    final dnnl_memory src;
    final dnnl_memory weights;
    /** Null without bias. */
    final dnnl_memory bias;
    final dnnl_memory dst;

    /**
     * @param r owner of the descriptors and memories
     * @param shape the convolution geometry
     * @param batch minibatch size
     * @param hasBias whether the convolution adds a bias
     */
    PlainArguments(Resources r, ConvolutionShape shape, int batch, boolean hasBias) {
        inputDims = DnnlShapes.inputDims(shape, batch);
        weightDims = DnnlShapes.weightDims(shape);
        outputDims = DnnlShapes.outputDims(shape, batch);
        biasDims = new long[] {shape.outChannels()};
        srcDesc = DnnlShapes.md(r, inputDims, dnnl_nchw);
        weightsDesc = DnnlShapes.md(r, weightDims, dnnl_oihw);
        dstDesc = DnnlShapes.md(r, outputDims, dnnl_nchw);
        biasDesc = hasBias ? DnnlShapes.md(r, biasDims, dnnl_x) : null;
        src = r.userMemory(srcDesc);
        weights = r.userMemory(weightsDesc);
        bias = hasBias ? r.userMemory(biasDesc) : null;
        dst = r.userMemory(dstDesc);
    }

    /**
     * Points the four memories at the arrays' host buffers (no copy; {@link DnnlShapes#bind}).
     *
     * @param input {@code [batch, inChannels, height, width]}, float32, 'c'-contiguous; not modified
     * @param weightArray the weights, {@code outChannels * inChannels * kh * kw} elements; not modified
     * @param biasArray {@code outChannels} elements; ignored without bias
     * @param output {@code [batch, outChannels, outHeight, outWidth]}, float32, 'c'-contiguous
     * @throws IllegalArgumentException if an array's length does not match the shape
     */
    void bind(INDArray input, INDArray weightArray, INDArray biasArray, INDArray output) {
        DnnlShapes.bind(src, input, inputDims, "input");
        DnnlShapes.bind(weights, weightArray, weightDims, "weights");
        if (bias != null) {
            DnnlShapes.bind(bias, biasArray, biasDims, "bias");
        }
        DnnlShapes.bind(dst, output, outputDims, "output");
    }
}
