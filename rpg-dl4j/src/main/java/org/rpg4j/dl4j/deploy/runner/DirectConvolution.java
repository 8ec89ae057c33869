package org.rpg4j.dl4j.deploy.runner;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.dl4j.layers.onednn.ActivationLayout;
import org.rpg4j.dl4j.layers.onednn.OneDnn;
import org.rpg4j.dl4j.layers.onednn.OneDnnInference;
import org.rpg4j.sparse.kernel.ConvolutionShape;

/**
 * A dense convolution step's direct oneDNN path: {@link OneDnnInference} primitives (weights in oneDNN's layout
 * once, the residual add and the ReLU fused as post-ops), one per part of a split call (images, or at batch 1 a range of
 * output channels), batch size and input size (the parts of a call run on different threads at once, so each has
 * its own instance). Used when
 * {@link OneDnn#applies} (switch {@value OneDnn#PROPERTY} not {@code libnd4j}, the preset loaded, float32
 * 'c'-contiguous host arrays) and the kernel is not dilated; otherwise, or once oneDNN rejected the geometry,
 * {@link #forward} says no and the step runs libnd4j's {@code conv2d} as before.
 */
final class DirectConvolution {

    private final ConvolutionSpec spec;
    private final float[] weights;
    private final float[] bias;
    private final boolean relu;
    private final boolean residual;
    private final Map<Key, OneDnnInference> instances = new ConcurrentHashMap<>();
    private volatile boolean rejected;

    /**
     * One instance's part of a call, output channel range, input geometry and the calling thread's OpenMP thread
     * count (oneDNN blocks a primitive's work for the count at its creation: a primitive made on one thread is not
     * used for a call on two).
     */
    private record Key(int part, int from, int to, long batch, long height, long width, ActivationLayout input,
                       ActivationLayout output, ActivationLayout residual, int threads) {
    }

    /**
     * @param spec the geometry
     * @param weights folded {@code [out, in, kh, kw]} row-major; read when an instance is created
     * @param bias folded {@code [out]}
     * @param relu true to fuse a ReLU into the convolution
     */
    DirectConvolution(ConvolutionSpec spec, float[] weights, float[] bias, boolean relu) {
        this(spec, weights, bias, relu, false);
    }

    /**
     * @param spec the geometry
     * @param weights folded {@code [out, in, kh, kw]} row-major; read when an instance is created
     * @param bias folded {@code [out]}
     * @param relu true to fuse a ReLU into the convolution (after the residual)
     * @param residual true if every call adds a residual of the output's shape before the ReLU
     */
    DirectConvolution(ConvolutionSpec spec, float[] weights, float[] bias, boolean relu, boolean residual) {
        this.spec = spec;
        this.weights = weights;
        this.bias = bias;
        this.relu = relu;
        this.residual = residual;
    }

    /**
     * @param input a call's (or a part's) input
     * @return true if {@link #forward} would run oneDNN for it (the geometry may still be rejected there)
     */
    boolean applies(INDArray input) {
        return !rejected && !spec.dilated() && OneDnn.applies(input);
    }

    /**
     * @return the layouts of the primitives created so far, each as {@code "input>output"} plus {@code "+residual"}
     *     with a residual, e.g. {@code "NHWC>NCHW+NHWC"} (tests)
     */
    java.util.Set<String> layoutsUsed() {
        java.util.Set<String> used = new java.util.TreeSet<>();
        for (Key key : instances.keySet()) {
            used.add(key.input() + ">" + key.output() + (residual ? "+" + key.residual() : ""));
        }
        return used;
    }

    /**
     * @return the primitives created so far, each as {@code "part:from-to@batch"} (its part of a split call, output
     *     channel range and batch size; tests), followed by {@code "xN"} for one created on N &gt; 1 OpenMP threads
     */
    java.util.Set<String> partsUsed() {
        java.util.Set<String> used = new java.util.TreeSet<>();
        for (Key key : instances.keySet()) {
            used.add(key.part() + ":" + key.from() + "-" + key.to() + "@" + key.batch() + (key.threads() > 1 ? "x"
                    + key.threads() : ""));
        }
        return used;
    }

    /** @return true if a successful {@link #forward} also applied the ReLU */
    boolean fusesRelu() {
        return relu;
    }

    /**
     * {@code out = conv(x, w) + b} for output channels {@code [from, to)}, ReLU'd if {@link #fusesRelu()}, with
     * oneDNN's primitive of this part and channel range (created at the first such call, with the calling thread's
     * OpenMP thread count, which oneDNN keeps for the primitive).
     *
     * @param part the part of a split call (its thread's instance), &ge; 0
     * @param from first output channel, &ge; 0
     * @param to end of the output channel range, &gt; {@code from}, &le; the spec's output channels
     * @param x input {@code [batch, in, h, w]}, float32 'c'-contiguous; not modified
     * @param out output {@code [batch, to - from, outH, outW]}, float32 'c'-contiguous; overwritten if this returns
     *     true
     * @return false if oneDNN does not run (switch off, arrays not applicable, geometry rejected): run libnd4j
     */
    boolean forward(int part, int from, int to, INDArray x, INDArray out) {
        if (residual) {
            throw new IllegalStateException("this convolution adds a residual: pass it to forward");
        }
        return forward(part, from, to, x, null, out);
    }

    /**
     * {@code out = conv(x, w) + b + residual} for output channels {@code [from, to)}, ReLU'd if {@link #fusesRelu()}
     * (both fused into oneDNN's primitive of this part and channel range), as {@link #forward(int, int, int,
     * INDArray, INDArray)}.
     *
     * @param part the part of a split call (its thread's instance), &ge; 0
     * @param from first output channel, &ge; 0
     * @param to end of the output channel range, &gt; {@code from}, &le; the spec's output channels
     * @param x input {@code [batch, in, h, w]}, float32 'c'-contiguous; not modified
     * @param residual {@code [batch, to - from, outH, outW]} if this convolution adds a residual, else null; not
     *     modified, not {@code out}'s memory
     * @param out output {@code [batch, to - from, outH, outW]}, float32 'c'-contiguous; overwritten if this returns
     *     true
     * @return false if oneDNN does not run (switch off, arrays not applicable, geometry rejected): run libnd4j
     * @throws IllegalArgumentException if {@code residual} is null for a convolution with a residual or given for
     *     one without
     */
    boolean forward(int part, int from, int to, INDArray x, INDArray residual, INDArray out) {
        return forward(part, from, to, x, residual, out, ActivationLayout.NCHW, ActivationLayout.NCHW,
                ActivationLayout.NCHW);
    }

    /**
     * As {@link #forward(int, int, int, INDArray, INDArray, INDArray)} with each activation's layout: an NHWC
     * array ({@code [batch, h, w, channels]}) is read or written without oneDNN's reorder from or to NCHW.
     *
     * @param part the part of a split call (its thread's instance), &ge; 0
     * @param from first output channel, &ge; 0
     * @param to end of the output channel range, &gt; {@code from}, &le; the spec's output channels
     * @param x input in layout {@code inputLayout}, float32 'c'-contiguous; not modified
     * @param residual the residual in layout {@code residualLayout} if this convolution adds one, else null
     * @param out output in layout {@code outputLayout}, float32 'c'-contiguous; overwritten if this returns true
     * @param inputLayout the input's layout
     * @param outputLayout the output's layout
     * @param residualLayout the residual's layout (NCHW without a residual)
     * @return false if oneDNN does not run: the caller runs libnd4j on NCHW arrays
     * @throws IllegalArgumentException if {@code residual} is null for a convolution with a residual or given for
     *     one without
     */
    boolean forward(int part, int from, int to, INDArray x, INDArray residual, INDArray out,
                    ActivationLayout inputLayout, ActivationLayout outputLayout, ActivationLayout residualLayout) {
        if ((residual != null) != this.residual) {
            throw new IllegalArgumentException("residual must be " + (this.residual ? "given" : "null")
                    + " for this convolution, got " + (residual == null ? "null" : "an array"));
        }
        if (!applies(x) || !OneDnn.applies(out) || residual != null && !OneDnn.applies(residual)) {
            return false;
        }
        boolean channelsLast = inputLayout == ActivationLayout.NHWC;
        long height = channelsLast ? x.size(1) : x.size(2);
        long width = channelsLast ? x.size(2) : x.size(3);
        Key key = new Key(part, from, to, x.size(0), height, width, inputLayout, outputLayout, residualLayout,
                OpenMpThreads.current());
        OneDnnInference instance = instances.get(key);
        if (instance == null) {
            ConvolutionShape full = spec.shape(height, width);
            ConvolutionShape shape = new ConvolutionShape(full.inChannels(), full.inHeight(), full.inWidth(),
                    to - from, full.kernelHeight(), full.kernelWidth(), full.strideHeight(), full.strideWidth(),
                    full.padTop(), full.padLeft(), full.outHeight(), full.outWidth());
            int patch = full.patchSize();
            float[] w = from == 0 && to == full.outChannels() ? weights
                    : Arrays.copyOfRange(weights, from * patch, to * patch);
            float[] b = from == 0 && to == full.outChannels() ? bias : Arrays.copyOfRange(bias, from, to);
            try {
                instance = OneDnnInference.create(shape, (int) x.size(0), w, b, relu, this.residual, inputLayout,
                        outputLayout, residualLayout);
            } catch (IllegalStateException e) {
                OneDnn.reportRejected(shape + ", batch " + x.size(0), e);
                rejected = true;
                return false;
            }
            instances.put(key, instance);
        }
        if (residual != null) {
            instance.forward(x, residual, out);
        } else {
            instance.forward(x, out);
        }
        return true;
    }
}
