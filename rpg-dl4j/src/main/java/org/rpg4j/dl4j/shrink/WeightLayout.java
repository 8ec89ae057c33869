package org.rpg4j.dl4j.shrink;

import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.rpg4j.dl4j.layers.FastConvolutionLayer;

/**
 * Where the output channels sit in a weighted layer's parameters (DL4J 1.0.0-M2.1 shapes).
 *
 * @param kind the layer kind
 * @param producerParam the parameter whose slices create the output channels
 * @param outputAxis its output axis
 */
record WeightLayout(Kind kind, String producerParam, int outputAxis) {
    /** Weighted layer kinds the shrinker understands. */
    enum Kind {
        /** {@code W [out, in, kh, kw]}. */
        CONVOLUTION,
        /** {@code W [in, out, kh, kw]}. */
        DECONVOLUTION,
        /** {@code W [in, out]}. */
        DENSE,
        /** {@code W [kh, kw, in, multiplier]}, output channel {@code c * multiplier + m}. */
        DEPTHWISE,
        /** {@code W [multiplier, in, kh, kw]}, {@code pW [out, in * multiplier, 1, 1]}. */
        SEPARABLE
    }

    /** @return the layout of {@code l}, or null if it is not a weighted layer the shrinker understands */
    static WeightLayout of(Layer l) {
        Class<?> c = l.getClass();
        if (c == ConvolutionLayer.class || l instanceof FastConvolutionLayer) {
            return new WeightLayout(Kind.CONVOLUTION, "W", 0);
        }
        if (c == Deconvolution2D.class) {
            return new WeightLayout(Kind.DECONVOLUTION, "W", 1);
        }
        if (c == DenseLayer.class || c == OutputLayer.class) {
            return new WeightLayout(Kind.DENSE, "W", 1);
        }
        if (c == DepthwiseConvolution2D.class) {
            return new WeightLayout(Kind.DEPTHWISE, "W", -1);
        }
        if (c == SeparableConvolution2D.class) {
            return new WeightLayout(Kind.SEPARABLE, "pW", 0);
        }
        return null;
    }

    /** @return the axes to reduce over to get one value per output channel (C order of the rest) */
    int[] otherAxes(int rank) {
        if (kind == Kind.DEPTHWISE) {
            return new int[] {0, 1};
        }
        int[] axes = new int[rank - 1];
        for (int a = 0, j = 0; a < rank; a++) {
            if (a != outputAxis) {
                axes[j++] = a;
            }
        }
        return axes;
    }
}
