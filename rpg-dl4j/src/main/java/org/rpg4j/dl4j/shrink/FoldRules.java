package org.rpg4j.dl4j.shrink;

import java.util.Optional;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.dl4j.deploy.runner.BatchNormFold;
import org.rpg4j.dl4j.layers.FastActivationLayer;
import org.rpg4j.dl4j.layers.FastConvolutionLayer;

/**
 * Which layers {@link InferenceFolding} may merge, and the merged convolution: a plain 2-D convolution
 * (DL4J's {@code ConvolutionLayer} or rpg4j's {@code FastConvolutionLayer}, NCHW, identity activation)
 * absorbs the batch norm right after it and then an activation layer.
 */
final class FoldRules {
    private FoldRules() {}

    /**
     * @param conf a layer configuration
     * @return why the layer cannot take a batch norm or an activation after it, or empty if it can
     */
    static Optional<String> convolutionRefusal(Layer conf) {
        if (conf == null || conf.getClass() != ConvolutionLayer.class && conf
                .getClass() != FastConvolutionLayer.class) {
            return Optional.of("is a " + (conf == null ? "vertex without layer" : conf.getClass().getSimpleName())
                    + ", not a 2-D convolution");
        }
        ConvolutionLayer c = (ConvolutionLayer) conf;
        if (c.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
            return Optional.of("is an NHWC convolution");
        }
        if (!(c.getActivationFn() instanceof ActivationIdentity)) {
            return Optional.of("is a convolution with activation " + c.getActivationFn() + " (not identity)");
        }
        return Optional.empty();
    }

    /**
     * @param conf a layer configuration
     * @return why it is not a batch norm that folds into a convolution, or empty if it is one
     */
    static Optional<String> batchNormRefusal(Layer conf) {
        if (!(conf instanceof BatchNormalization bn)) {
            return Optional.of("not a batch norm");
        }
        if (bn.getCnn2DFormat() != CNN2DFormat.NCHW) {
            return Optional.of("NHWC batch norm");
        }
        if (!BatchNormFold.foldable(bn)) {
            return Optional.of("lockGammaBeta is set");
        }
        return Optional.empty();
    }

    /** @return true for DL4J's or rpg4j's activation layer (any activation function) */
    static boolean isActivation(Layer conf) {
        return conf != null && (conf.getClass() == ActivationLayer.class || conf
                .getClass() == FastActivationLayer.class);
    }

    /**
     * @param convolution the convolution's configuration; not modified
     * @param batchNorm true if a batch norm is folded in (the result then has a bias)
     * @param activation the absorbed activation layer's configuration, or null
     * @return a copy of the convolution with a bias (if a batch norm is folded) and the activation's function
     */
    static ConvolutionLayer merged(ConvolutionLayer convolution, boolean batchNorm, ActivationLayer activation) {
        ConvolutionLayer merged = convolution.clone();
        if (batchNorm) {
            merged.setHasBias(true);
        }
        if (activation != null) {
            merged.setActivationFn(activation.getActivationFn());
        }
        return merged;
    }

    /**
     * The folded parameters of a convolution followed by batch norm (the arithmetic of
     * {@link BatchNormFold}: {@code W' = scale W}, {@code b' = scale (b - mean) + beta},
     * {@code scale = gamma / sqrt(var + eps)} per output channel).
     *
     * @param convolution the trained convolution layer, weights {@code [out, in, kh, kw]}; not modified
     * @param batchNorm the trained batch-norm layer after it, {@code out} channels; not modified
     * @return {@code {W', b'}}, {@code W'} of the weights' shape and {@code b'} of shape {@code [1, out]}, in
     *     the network's data type
     */
    static INDArray[] foldedParams(org.deeplearning4j.nn.api.Layer convolution,
                                   org.deeplearning4j.nn.api.Layer batchNorm) {
        INDArray w = convolution.getParam(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray b = convolution.getParam(ConvolutionParamInitializer.BIAS_KEY);
        int out = (int) w.size(0);
        float[] weights = floats(w);
        float[] bias = b == null ? new float[out] : floats(b);
        BatchNormFold.foldInto(batchNorm, weights, bias);
        DataType type = w.dataType();
        return new INDArray[] {Nd4j.create(weights, w.shape(), 'c').castTo(type),
                Nd4j.create(bias, new long[] {1, out}, 'c').castTo(type)};
    }

    /** @return a row-major float copy of {@code a} */
    private static float[] floats(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }
}
