package org.rpg4j.dl4j.deploy.runner;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;

/**
 * Folds inference-mode batch normalisation into the convolution before it. DL4J computes
 * {@code y = gamma (z - mean) / sqrt(var + eps) + beta} per channel (running statistics; the variance
 * is {@code (10^log10stdev)^2} when the layer stores log10 standard deviations). With
 * {@code scale = gamma / sqrt(var + eps)} and {@code z = W x + b}:
 * {@code y = (scale W) x + (scale (b - mean) + beta)}: the weights of output channel {@code o} are
 * multiplied by {@code scale[o]} (zeros stay exactly zero) and the bias becomes
 * {@code scale (b - mean) + beta}. Computed in double, stored as float. Public so that
 * {@code org.rpg4j.dl4j.shrink.InferenceFolding} folds DL4J networks with the same arithmetic.
 */
public final class BatchNormFold {

    private BatchNormFold() {
    }

    /**
     * @param bn a DL4J batch-normalisation layer configuration
     * @return whether it can be folded: not {@code lockGammaBeta} (DL4J's own handling of fixed
     *     gamma/beta skips the scaling in some cases, which a fold would not reproduce)
     */
    public static boolean foldable(BatchNormalization bn) {
        return !bn.isLockGammaBeta();
    }

    /**
     * Folds the layer into a convolution's weights and bias in place.
     *
     * @param bn the batch-normalisation layer, {@code nOut} channels
     * @param weights {@code [nOut, patch]} row-major, {@code patch >= 1}; modified
     * @param bias {@code [nOut]}; modified
     * @throws IllegalArgumentException if {@code bn} is not a batch-normalisation layer, or an array is null or does
     *     not have the layer's {@code nOut} rows
     */
    public static void foldInto(Layer bn, float[] weights, float[] bias) {
        if (bn == null || !(bn.conf().getLayer() instanceof BatchNormalization conf)) {
            throw new IllegalArgumentException("bn must be a batch-normalisation layer, got " + (bn == null ? "null"
                    : bn.conf().getLayer().getClass().getSimpleName()));
        }
        long nOut = bn.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).length();
        if (weights == null || bias == null || bias.length != nOut || weights.length == 0
                || weights.length % nOut != 0) {
            throw new IllegalArgumentException("bias must hold nOut = " + nOut + " values and weights a positive "
                    + "multiple of " + nOut + " ([nOut, patch]), got " + (bias == null ? "null" : bias.length)
                    + " and " + (weights == null ? "null" : weights.length));
        }
        double[] mean = bn.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).toDoubleVector();
        double[] gamma = bn.getParam(BatchNormalizationParamInitializer.GAMMA).toDoubleVector();
        double[] beta = bn.getParam(BatchNormalizationParamInitializer.BETA).toDoubleVector();
        double[] variance;
        if (conf.isUseLogStd()) {
            variance = bn.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).toDoubleVector();
            for (int c = 0; c < variance.length; c++) {
                variance[c] = Math.pow(10.0, 2 * variance[c]);
            }
        } else {
            variance = bn.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).toDoubleVector();
        }
        int channels = bias.length;
        int patch = weights.length / channels;
        for (int o = 0; o < channels; o++) {
            double scale = gamma[o] / Math.sqrt(variance[o] + conf.getEps());
            for (int i = o * patch; i < (o + 1) * patch; i++) {
                weights[i] = (float) (weights[i] * scale);
            }
            bias[o] = (float) (scale * (bias[o] - mean[o]) + beta[o]);
        }
    }
}
