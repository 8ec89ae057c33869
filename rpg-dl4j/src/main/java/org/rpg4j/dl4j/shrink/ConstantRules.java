package org.rpg4j.dl4j.shrink;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.dl4j.graph.ElementwiseActivations;
import org.rpg4j.dl4j.graph.NetworkNode;

/** How a constant channel value passes through each layer type at inference (NaN = not constant). */
final class ConstantRules {
    private ConstantRules() {}

    static double[] layer(NetworkNode n, double[] in, int size) {
        Layer l = n.layer();
        double[] pre = preActivation(n, in, size);
        if (pre.length != size) {
            return ConstantChannels.unknown(size);
        }
        return activate(ElementwiseActivations.appliedBy(l), pre);
    }

    private static double[] preActivation(NetworkNode n, double[] in, int size) {
        Layer l = n.layer();
        if (l instanceof ConvolutionLayer || l instanceof DenseLayer || l instanceof OutputLayer) {
            return producerConstants(n, size);
        }
        if (l instanceof BatchNormalization bn) {
            return batchNorm(n, bn, in);
        }
        if (l instanceof ActivationLayer || l instanceof DropoutLayer || l instanceof Upsampling2D
                || l instanceof Cropping2D || l instanceof LossLayer || l instanceof CnnLossLayer) {
            return in;
        }
        if (l instanceof SubsamplingLayer s) {
            boolean exact = s.getPoolingType() == PoolingType.MAX || (s.getPoolingType() == PoolingType.AVG
                    && s.getConvolutionMode() != ConvolutionMode.Same && Arrays.stream(s.getPadding()).allMatch(
                            p -> p == 0));
            return exact ? in : zerosOnly(in);
        }
        if (l instanceof GlobalPoolingLayer g) {
            boolean exact = g.getPoolingType() == PoolingType.MAX || g.getPoolingType() == PoolingType.AVG;
            return exact ? in : zerosOnly(in);
        }
        // zero padding and anything else: only an exact zero stays constant
        return n.params().isEmpty() && in.length == size ? zerosOnly(in) : ConstantChannels.unknown(size);
    }

    /**
     * Outputs of weighted layers (and depthwise/separable) whose weights for that output are all zero: the
     * bias (or 0). Other inputs do not matter then.
     */
    private static double[] producerConstants(NetworkNode n, int size) {
        WeightLayout layout = WeightLayout.of(n.layer());
        if (layout == null) {
            return ConstantChannels.unknown(size);
        }
        INDArray w = n.params().get(layout.producerParam());
        INDArray rowMax = w.amax(layout.otherAxes(w.rank()));
        double[] max = rowMax.reshape('c', new long[] {rowMax.length()}).castTo(DataType.DOUBLE).toDoubleVector();
        if (max.length != size) {
            return ConstantChannels.unknown(size);
        }
        INDArray b = n.params().get("b");
        double[] bias = b == null ? new double[size] : b.reshape(b.length()).castTo(DataType.DOUBLE).toDoubleVector();
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = max[i] == 0.0 ? bias[i] : Double.NaN;
        }
        return out;
    }

    /** Inference: {@code gamma * (v - mean) / std + beta}, {@code std = sqrt(var + eps)}, {@code var = 10^(2 log10stdev)} when DL4J stores the log. */
    private static double[] batchNorm(NetworkNode n, BatchNormalization bn, double[] in) {
        double[] mean = vector(n, "mean", in.length, 0);
        double[] std;
        if (n.params().containsKey("log10stdev")) {
            // DL4J stores log10(std) and normalises with sqrt(std^2 + eps)
            std = Arrays.stream(vector(n, "log10stdev", in.length, 0))
                    .map(x -> Math.sqrt(Math.pow(10, 2 * x) + bn.getEps())).toArray();
        } else {
            std = Arrays.stream(vector(n, "var", in.length, 0)).map(x -> Math.sqrt(x + bn.getEps())).toArray();
        }
        double[] gamma = vector(n, "gamma", in.length, bn.getGamma());
        double[] beta = vector(n, "beta", in.length, bn.getBeta());
        double[] out = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = gamma[i] * (in[i] - mean[i]) / std[i] + beta[i];
        }
        return out;
    }

    private static double[] vector(NetworkNode n, String key, int size, double fallback) {
        INDArray p = n.params().get(key);
        if (p == null) {
            double[] out = new double[size];
            Arrays.fill(out, fallback);
            return out;
        }
        return p.reshape(p.length()).castTo(DataType.DOUBLE).toDoubleVector();
    }

    /** Applies {@code fn} to the finite entries (an element-wise function; others give NaN). */
    static double[] activate(IActivation fn, double[] pre) {
        if (fn == null) {
            return pre;
        }
        if (!ElementwiseActivations.isElementwise(fn)) {
            return ConstantChannels.unknown(pre.length);
        }
        double[] out = pre.clone();
        int[] finite = java.util.stream.IntStream.range(0, pre.length).filter(i -> Double.isFinite(pre[i])).toArray();
        if (finite.length == 0) {
            return out;
        }
        double[] values = Arrays.stream(finite).mapToDouble(i -> pre[i]).toArray();
        double[] act = fn.getActivation(Nd4j.createFromArray(values).reshape(1, values.length), false)
                .toDoubleVector();
        for (int k = 0; k < finite.length; k++) {
            out[finite[k]] = act[k];
        }
        return out;
    }

    static double[] preProcess(InputPreProcessor p, double[] in, int size) {
        if (p == null) {
            return in;
        }
        if (p instanceof CnnToFeedForwardPreProcessor f && f.getFormat() == CNN2DFormat.NCHW
                && in.length * f.getInputHeight() * f.getInputWidth() == size) {
            int block = size / in.length;
            double[] out = new double[size];
            for (int c = 0; c < in.length; c++) {
                Arrays.fill(out, c * block, (c + 1) * block, in[c]);
            }
            return out;
        }
        return ConstantChannels.unknown(size);
    }

    static double[] elementWise(ElementWiseVertex.Op op, double[][] in, int size) {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            double v = in[0][i];
            for (int k = 1; k < in.length; k++) {
                double x = in[k][i];
                v = switch (op) {
                    case Add, Average -> v + x;
                    case Subtract -> v - x;
                    case Product -> v * x;
                    case Max -> Math.max(v, x);
                };
            }
            out[i] = op == ElementWiseVertex.Op.Average ? v / in.length : v;
        }
        return out;
    }

    private static double[] zerosOnly(double[] in) {
        return Arrays.stream(in).map(x -> x == 0.0 ? 0.0 : Double.NaN).toArray();
    }
}
