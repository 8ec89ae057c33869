package org.rpg4j.dl4j.deploy.runner;

import java.util.Optional;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.rpg4j.dl4j.layers.FastConvolutionLayer;
import org.rpg4j.sparse.kernel.FusedActivation;

/**
 * Decides which DL4J layers the runner compiles and builds their steps: plain 2-D convolutions
 * (DL4J's {@code ConvolutionLayer} and rpg4j's {@code FastConvolutionLayer}, NCHW) with an optional
 * following batch norm and ReLU, dense/output layers, and (under
 * {@link StepCoverage#KERNELS_AND_POOLING}) max and global pooling. Subclasses of ConvolutionLayer (1-D,
 * depthwise, separable, deconvolution) are not compiled: they run DL4J's inference.
 */
final class StepFactory {

    private StepFactory() {
    }

    /** @return true for an NCHW 2-D convolution with identity or ReLU activation */
    static boolean isConvolution(org.deeplearning4j.nn.conf.layers.Layer conf) {
        return (conf.getClass() == ConvolutionLayer.class || conf.getClass() == FastConvolutionLayer.class)
                && ((ConvolutionLayer) conf).getCnn2dDataFormat() == CNN2DFormat.NCHW
                && FusableActivations.of(((ConvolutionLayer) conf).getActivationFn()).isPresent();
    }

    /** @return true if the convolution's output may be batch-normalised by a fold (no activation yet) */
    static boolean acceptsFold(org.deeplearning4j.nn.conf.layers.Layer convolution) {
        return FusableActivations.of(((ConvolutionLayer) convolution).getActivationFn())
                .orElse(FusedActivation.RELU) == FusedActivation.IDENTITY;
    }

    /** @return true for a batch norm that can be folded into the convolution before it */
    static boolean isFoldableBatchNorm(org.deeplearning4j.nn.conf.layers.Layer conf) {
        return conf instanceof BatchNormalization bn && BatchNormFold.foldable(bn)
                && bn.getCnn2DFormat() == CNN2DFormat.NCHW;
    }

    /** @return true for an activation layer computing the plain ReLU */
    static boolean isRelu(org.deeplearning4j.nn.conf.layers.Layer conf) {
        return conf instanceof ActivationLayer a
                && FusableActivations.of(a.getActivationFn()).orElse(null) == FusedActivation.RELU;
    }

    /** @return true for a dense or output layer (no layer normalisation) */
    static boolean isDense(org.deeplearning4j.nn.conf.layers.Layer conf) {
        return conf.getClass() == DenseLayer.class && !Boolean.TRUE.equals(((DenseLayer) conf).hasLayerNorm())
                || conf.getClass() == OutputLayer.class;
    }

    /**
     * @param convolution the convolution layer ({@link #isConvolution})
     * @param batchNorm a following batch norm to fold ({@link #isFoldableBatchNorm}), or empty
     * @param relu true to fuse a following ReLU layer
     * @param options runner options
     * @return the compiled step
     */
    static Step convolution(Layer convolution, Optional<Layer> batchNorm, boolean relu, RunnerOptions options) {
        return convolution(convolution, batchNorm, false, relu, options);
    }

    /**
     * @param convolution the convolution layer ({@link #isConvolution}, identity activation if {@code residual})
     * @param batchNorm a following batch norm to fold ({@link #isFoldableBatchNorm}), or empty
     * @param residual true to add the step's second input (a residual add after the convolution)
     * @param relu true to fuse a following ReLU layer (after the add, if any)
     * @param options runner options
     * @return the compiled step
     */
    static Step convolution(Layer convolution, Optional<Layer> batchNorm, boolean residual, boolean relu,
                            RunnerOptions options) {
        ConvolutionLayer conf = (ConvolutionLayer) convolution.conf().getLayer();
        ConvolutionSpec spec = ConvolutionSpec.of(conf);
        float[] weights = Tensor.toFloats(convolution.getParam(ConvolutionParamInitializer.WEIGHT_KEY));
        float[] bias = conf.hasBias() ? Tensor.toFloats(convolution.getParam(ConvolutionParamInitializer.BIAS_KEY))
                : new float[spec.outChannels()];
        batchNorm.ifPresent(bn -> BatchNormFold.foldInto(bn, weights, bias));
        FusedActivation own = FusableActivations.of(conf.getActivationFn()).orElseThrow();
        FusedActivation activation = relu ? FusedActivation.RELU : own;
        String suffix = (batchNorm.isPresent() ? " +bn" : "") + (residual ? " +add" : "")
                + (activation == FusedActivation.RELU ? " +relu" : "");
        return new ConvolutionStep(conf.getLayerName(), spec, weights, bias, activation, suffix, options, residual);
    }

    /**
     * @param dense a dense or output layer ({@link #isDense})
     * @param preProcessor its input preprocessor, or null
     * @param options runner options
     * @return the compiled step
     */
    static Step dense(Layer dense, InputPreProcessor preProcessor, RunnerOptions options) {
        org.deeplearning4j.nn.conf.layers.FeedForwardLayer conf = (org.deeplearning4j.nn.conf.layers.FeedForwardLayer) dense
                .conf().getLayer();
        boolean hasBias = dense.getParam(DefaultParamInitializer.BIAS_KEY) != null;
        return new DenseStep(conf.getLayerName(), preProcessor, dense.getParam(DefaultParamInitializer.WEIGHT_KEY),
                hasBias ? dense.getParam(DefaultParamInitializer.BIAS_KEY) : null, conf.getActivationFn(), options);
    }

    /**
     * @param layer a layer without input preprocessor
     * @param options runner options (their coverage decides whether pooling is compiled)
     * @return a Java pooling step for a max-pooling or global pooling layer, or empty (DL4J runs it)
     */
    static Optional<Step> pooling(Layer layer, RunnerOptions options) {
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
        if (options.coverage() != StepCoverage.KERNELS_AND_POOLING) {
            return Optional.empty();
        }
        if (MaxPoolingStep.accepts(conf)) {
            return Optional.of(MaxPoolingStep.of((SubsamplingLayer) conf, options.threading()));
        }
        if (GlobalPoolingStep.accepts(conf)) {
            return Optional.of(GlobalPoolingStep.of((GlobalPoolingLayer) conf));
        }
        return Optional.empty();
    }
}
