package org.rpg4j.dl4j.graph;

import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.dl4j.layers.FastConvolutionLayer;
import org.rpg4j.structured.SliceRole;

/**
 * How channels flow through each supported layer type. The parameter shapes are DL4J 1.0.0-M2.1's
 * (checked against the live tensors; a mismatch locks the channels): convolution
 * {@code W [out, in, kh, kw]}, deconvolution {@code W [in, out, kh, kw]}, depthwise
 * {@code W [kh, kw, in, multiplier]} with output channel {@code c * multiplier + m}, separable
 * {@code W [multiplier, in, kh, kw]} and {@code pW [out, in * multiplier, 1, 1]}, dense
 * {@code W [in, out]}; biases and batch-norm vectors {@code [n]}.
 */
final class LayerRules {
    private final SpaceTracing t;

    LayerRules(SpaceTracing t) {
        this.t = t;
    }

    /** @return the layer's output positions; records its tensor axes */
    int[] layer(NetworkNode n, int[] in) {
        int[] out = route(n, in);
        IActivation fn = ElementwiseActivations.appliedBy(n.layer());
        if (!ElementwiseActivations.isElementwise(fn)) {
            // Only the outputs are mixed: for a pass-through layer they are its input channels too.
            t.sets.lock(out, "activation " + fn + " of '" + n.name() + "' mixes channels");
        }
        return out;
    }

    private int[] route(NetworkNode n, int[] in) {
        Layer l = n.layer();
        if (l instanceof FastConvolutionLayer || SpaceTracing.isLayer(l, ConvolutionLayer.class)) {
            return weighted(n, in, 1, 0);
        }
        if (SpaceTracing.isLayer(l, Deconvolution2D.class) || SpaceTracing.isLayer(l, DenseLayer.class)
                || SpaceTracing.isLayer(l, OutputLayer.class)) {
            return weighted(n, in, 0, 1);
        }
        if (SpaceTracing.isLayer(l, DepthwiseConvolution2D.class)) {
            return depthwise(n, in);
        }
        if (SpaceTracing.isLayer(l, SeparableConvolution2D.class)) {
            return separable(n, in);
        }
        if (l instanceof BatchNormalization) {
            return batchNorm(n, in);
        }
        if (passesChannels(l)) {
            return in;
        }
        String reason = "layer '" + n.name() + "' (" + n.type() + ") is not understood";
        t.sets.lock(in, reason);
        return t.opaque(n.name(), outputSize(n, in), reason);
    }

    private static boolean passesChannels(Layer l) {
        if (l instanceof GlobalPoolingLayer g) {
            int[] dims = g.getPoolingDimensions();
            return dims == null || java.util.Arrays.stream(dims).noneMatch(d -> d == 1);
        }
        return l instanceof ActivationLayer || l instanceof DropoutLayer
                || l instanceof SubsamplingLayer || l instanceof Upsampling2D || l instanceof ZeroPaddingLayer
                || l instanceof Cropping2D || l instanceof LossLayer || l instanceof CnnLossLayer;
    }

    /** Convolution, deconvolution or dense: fresh outputs along {@code W}'s output axis. */
    private int[] weighted(NetworkNode n, int[] in, int inAxis, int outAxis) {
        INDArray w = n.params().get("W");
        int[] input = checkedInput(n, in, w, inAxis);
        int[] out = t.fresh(n.name(), (int) w.size(outAxis));
        t.axes.add(new TensorAxis(n.name(), "W", inAxis, input, SliceRole.CONSUMER));
        t.axes.add(new TensorAxis(n.name(), "W", outAxis, out, SliceRole.PRODUCER));
        bias(n, out, SliceRole.PRODUCER);
        return out;
    }

    private int[] depthwise(NetworkNode n, int[] in) {
        INDArray w = n.params().get("W");
        int[] input = checkedInput(n, in, w, 2);
        int multiplier = (int) w.size(3);
        int[] out = new int[input.length * multiplier];
        for (int c = 0; c < input.length; c++) {
            java.util.Arrays.fill(out, c * multiplier, (c + 1) * multiplier, input[c]);
        }
        t.axes.add(new TensorAxis(n.name(), "W", 2, input, SliceRole.PASS_THROUGH));
        bias(n, out, SliceRole.PASS_THROUGH);
        return out;
    }

    private int[] separable(NetworkNode n, int[] in) {
        INDArray depthwise = n.params().get("W");
        INDArray pointwise = n.params().get("pW");
        int[] input = checkedInput(n, in, depthwise, 1);
        int multiplier = (int) depthwise.size(0);
        int[] inner = new int[input.length * multiplier];
        for (int c = 0; c < input.length; c++) {
            java.util.Arrays.fill(inner, c * multiplier, (c + 1) * multiplier, input[c]);
        }
        int[] out = t.fresh(n.name(), (int) pointwise.size(0));
        t.axes.add(new TensorAxis(n.name(), "W", 1, input, SliceRole.CONSUMER));
        t.axes.add(new TensorAxis(n.name(), "pW", 1, inner, SliceRole.CONSUMER));
        t.axes.add(new TensorAxis(n.name(), "pW", 0, out, SliceRole.PRODUCER));
        bias(n, out, SliceRole.PRODUCER);
        return out;
    }

    private int[] batchNorm(NetworkNode n, int[] in) {
        int[] input = in;
        for (var e : n.params().entrySet()) {
            input = checkedInput(n, input, e.getValue(), 0);
        }
        for (var e : n.params().entrySet()) {
            t.axes.add(new TensorAxis(n.name(), e.getKey(), 0, input, SliceRole.PASS_THROUGH));
        }
        return input;
    }

    private void bias(NetworkNode n, int[] out, SliceRole role) {
        INDArray b = n.params().get("b");
        if (b != null) {
            t.axes.add(new TensorAxis(n.name(), "b", b.rank() - 1, out, role));
        }
    }

    /**
     * @return {@code in} if its length matches {@code w}'s axis, else fresh locked positions of the
     *     right size (the channels before this layer are then locked as well)
     */
    private int[] checkedInput(NetworkNode n, int[] in, INDArray w, int axis) {
        if (w != null && w.size(axis) == in.length) {
            return in;
        }
        String reason = "channels reaching '" + n.name() + "' (" + in.length + ") do not match its parameters "
                + (w == null ? "(none)" : java.util.Arrays.toString(w.shape()));
        t.sets.lock(in, reason);
        return t.opaque(n.name() + " input", w == null ? in.length : (int) w.size(axis), reason);
    }

    private static int outputSize(NetworkNode n, int[] in) {
        if (n.layer() instanceof org.deeplearning4j.nn.conf.layers.FeedForwardLayer f && f.getNOut() > 0) {
            return (int) f.getNOut();
        }
        return in.length;
    }
}
