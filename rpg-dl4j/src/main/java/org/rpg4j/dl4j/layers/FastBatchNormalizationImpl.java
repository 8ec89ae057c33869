package org.rpg4j.dl4j.layers;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.dl4j.layers.onednn.OneDnn;
import org.rpg4j.dl4j.layers.onednn.OneDnnBatchNorm;
import org.rpg4j.tensor.HostAccess;

/**
 * The runtime layer of {@link FastBatchNormalization}.
 *
 * <p>Forward (training): batch mean and biased variance per channel, then
 * {@code y = gamma * xhat + beta}, {@code xhat = (x - mean) / sqrt(var + eps)}, computed as the
 * per-channel affine map {@code y = a * x + (beta - a * mean)} with {@code a = gamma / sqrt(var + eps)}.
 * Inference uses the running statistics instead.
 *
 * <p>Backward, per channel with {@code m} values, {@code k = sum(dy) / m},
 * {@code j = sum(dy * xhat) / m = (sum(dy * x) - mean * sum(dy)) / (m * sqrt(var + eps))} and
 * {@code a = gamma / sqrt(var + eps)}: {@code dx = a * (dy - k - j * xhat)},
 * {@code dgamma = m * j}, {@code dbeta = m * k}. Both sums come from one pass over {@code dy} and
 * {@code x}; {@code dx} is one pass, as {@code dx = a * dy + b * x + c} with
 * {@code b = -a * j / sqrt(var + eps)} and {@code c = -a * k - b * mean}. Taking the sums about
 * zero instead of about the mean saves a pass; in float32 data with double sums the cost is about
 * {@code |mean| / std} times the rounding error of a centred sum, negligible for the activations
 * batch norm sees after a convolution (DL4J's layer, which centres first, agrees to 1e-4 in tests).
 *
 * <p>Training passes of NCHW float32 inputs run on oneDNN's batch-normalisation primitives (on its OpenMP
 * threads) when the optional dnnl preset is present, unless the system property {@value #ONEDNN_PROPERTY} is
 * {@code java}; otherwise every pass runs through {@link BatchNormPasses}: Java loops over the host memory for
 * NCHW float32 on ND4J's CPU backend, libnd4j ops otherwise. Inference always takes the latter route.
 */
public class FastBatchNormalizationImpl extends BaseLayer<FastBatchNormalization> {

    /**
     * System property: {@code onednn} (the default) runs the training passes of NCHW float32 inputs through oneDNN's
     * batch-normalisation primitives when the dnnl preset is present; {@code java} through the Java loops. Idle, a
     * ResNet-20 iteration took 0.80-0.82x as long on oneDNN; on a loaded machine (load 4-10 on 2 cores) 1.1-3x, where
     * {@code java} is the better choice (docs/performance.md, "Session 11b").
     */
    static final String ONEDNN_PROPERTY = "rpg4j.batchNorm";
    /**
     * System property: {@code blocked} (the default) runs the oneDNN primitives in the blocked layout nChw16c, with
     * reorders from and to NCHW; {@code plain} on the NCHW arrays directly (oneDNN's generic implementation).
     */
    static final String LAYOUT_PROPERTY = "rpg4j.batchNorm.layout";

    private static final long serialVersionUID = 1L;
    private static final double HALF_ON_LN10 = 1.0 / (2 * Math.log(10.0));

    private transient double[] batchMean;
    private transient double[] batchVariance;
    private transient INDArray statisticsInput;
    private transient BatchNormInference inference;
    private transient OneDnnBatchNorm oneDnn;
    private transient int oneDnnPasses;

    /**
     * @param conf the network's configuration of this layer
     * @param dataType the network's data type
     */
    public FastBatchNormalizationImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.NORMALIZATION;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void fit(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException("FastBatchNormalization cannot be fitted on its own; "
                + "train the network that contains it");
    }

    @Override
    public boolean updaterDivideByMinibatch(String paramName) {
        // The running statistics' "gradients" are the exact update (no-op updater), as in DL4J.
        return !isRunningStatistic(paramName);
    }

    @Override
    public void clear() {
        super.clear();
        statisticsInput = null;
    }

    /**
     * @param training true: normalise with the batch statistics; false: with the running ones
     * @param workspaceMgr the network's workspace manager
     * @return {@code gamma * xhat + beta}, same shape as the input; in training, {@code max(gamma * xhat + beta, 0)}
     *     when the configuration says {@code rectifyOutput} (and {@code ReluFusion} is on)
     */
    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray x = checkedInput();
        if (!training) {
            INDArray cached = inferenceOutput(x, workspaceMgr);
            if (cached != null) {
                return cached;
            }
        }
        boolean rectify = ReluFusion.applies(layerConf().isRectifyOutput(), training);
        if (training && usesOneDnn(x)) {
            INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, x.shape(), 'c');
            if (OneDnn.hostFloats(out)) {
                int c = (int) x.size(1);
                batchMean = new double[c];
                batchVariance = new double[c];
                oneDnn(x).forward(x, gammaValues(), betaValues(), out, batchMean, batchVariance, rectify);
                statisticsInput = input;
                oneDnnPasses++;
                return out;
            }
        }
        double[] mean;
        double[] variance;
        if (training) {
            computeBatchStatistics(x);
            mean = batchMean;
            variance = batchVariance;
        } else {
            mean = BatchNormOps.values(getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN));
            variance = runningVariance();
        }
        double[] gamma = gammaValues();
        double[] beta = betaValues();
        double eps = layerConf().getEps();
        double[] scale = new double[mean.length];
        double[] shift = new double[mean.length];
        for (int ch = 0; ch < mean.length; ch++) {
            // gamma * (x - mean) / sqrt(var + eps) + beta = scale * x + shift
            scale[ch] = gamma[ch] / Math.sqrt(variance[ch] + eps);
            shift[ch] = beta[ch] - scale[ch] * mean[ch];
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, x.shape(), 'c');
        if (rectify) {
            // the ReLU after this layer returns this output as its own (ReluFusion)
            BatchNormPasses.affineRelu(x, scale, shift, out);
        } else {
            BatchNormPasses.affine(x, scale, shift, out);
        }
        return out;
    }

    /**
     * The inference pass through {@link BatchNormInference}: scale and shift are recomputed only when gamma,
     * beta, the running statistics or the settings changed since the previous inference call.
     *
     * @return the output, or null if the input or the parameters are not float32 arrays in host memory
     */
    private INDArray inferenceOutput(INDArray x, LayerWorkspaceMgr workspaceMgr) {
        FastBatchNormalization conf = layerConf();
        boolean locked = conf.isLockGammaBeta();
        boolean logStd = conf.isUseLogStd();
        INDArray mean = getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        INDArray spread = getParam(logStd ? BatchNormalizationParamInitializer.GLOBAL_LOG_STD
                : BatchNormalizationParamInitializer.GLOBAL_VAR);
        INDArray[] parameters = locked ? new INDArray[] {mean, spread}
                : new INDArray[] {mean, spread, getParam(BatchNormalizationParamInitializer.GAMMA),
                        getParam(BatchNormalizationParamInitializer.BETA)};
        if (x.rank() != 4 || !BatchNormInference.applicable(x, parameters)) {
            return null;
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, x.shape(), 'c');
        if (!ChannelKernels.applicable(out)) {
            return null;
        }
        if (inference == null) {
            inference = new BatchNormInference();
        }
        double[] settings = {conf.getEps(), logStd ? 1 : 0, locked ? 1 : 0, conf.getGamma(), conf.getBeta()};
        inference.apply(x, parameters, settings, FastBatchNormalizationImpl::inferenceScaleShift, out);
        return out;
    }

    /**
     * @param values {@code {mean, var or log10 std, gamma, beta}}, or the first two when gamma and beta are locked
     * @param settings {@code {eps, useLogStd (1/0), lockGammaBeta (1/0), locked gamma, locked beta}}
     * @return {@code {scale, shift}}: {@code gamma / sqrt(var + eps)} and {@code beta - scale * mean}, computed in
     *     double precision as the training-mode route does
     */
    private static float[][] inferenceScaleShift(float[][] values, double[] settings) {
        int c = values[0].length;
        boolean logStd = settings[1] != 0;
        boolean locked = settings[2] != 0;
        float[] scale = new float[c];
        float[] shift = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double variance = logStd ? Math.pow(10.0, 2.0 * values[1][ch]) : values[1][ch];
            double gamma = locked ? settings[3] : values[2][ch];
            double beta = locked ? settings[4] : values[3][ch];
            double s = gamma / Math.sqrt(variance + settings[0]);
            scale[ch] = (float) s;
            shift[ch] = (float) (beta - s * values[0][ch]);
        }
        return new float[][] {scale, shift};
    }

    /** @return the inference cache, or null before the first inference call (for tests) */
    BatchNormInference inferenceCache() {
        return inference;
    }

    /**
     * @param epsilon dL/d(output), same shape as the input; not modified
     * @param workspaceMgr the network's workspace manager
     * @return the gradients of gamma and beta (unless locked) and the running-statistics updates,
     *     written into this layer's gradient views, and dL/d(input)
     */
    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray x = checkedInput();
        if (statisticsInput != input) {
            computeBatchStatistics(x);
        }
        INDArray dy = epsilon.castTo(dataType);
        if (!HostAccess.isCContiguous(dy.shape(), dy.stride())) {
            dy = workspaceMgr.dup(ArrayType.BP_WORKING_MEM, dy, 'c');
        }
        int c = (int) x.size(1);
        if (usesOneDnn(x)) {
            INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
            if (OneDnn.hostFloats(dy, dx)) {
                double[] dGamma = new double[c];
                double[] dBeta = new double[c];
                oneDnn(x).backward(x, batchMean, batchVariance, gammaValues(), dy, dx, dGamma, dBeta);
                oneDnnPasses++;
                return new Pair<>(gradient(dGamma, dBeta, batchMean, batchVariance), dx);
            }
        }
        double m = (double) x.length() / c;
        double eps = layerConf().getEps();
        double[][] sums = BatchNormPasses.sumAndDot(dy, x);
        double[] gamma = gammaValues();
        double[] a = new double[c];
        double[] b = new double[c];
        double[] constant = new double[c];
        double[] dGamma = new double[c];
        for (int i = 0; i < c; i++) {
            double invStd = 1.0 / Math.sqrt(batchVariance[i] + eps);
            double j = invStd * (sums[1][i] - batchMean[i] * sums[0][i]) / m;
            // dx = a (dy - k - j xhat) with xhat = (x - mean) invStd and k = sum(dy) / m
            //    = a dy + b x + constant, b = -a j invStd, constant = -a k - b mean
            a[i] = gamma[i] * invStd;
            b[i] = -a[i] * j * invStd;
            constant[i] = -a[i] * sums[0][i] / m - b[i] * batchMean[i];
            dGamma[i] = m * j;
        }
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
        BatchNormPasses.affine2(dy, x, a, b, constant, dx);
        return new Pair<>(gradient(dGamma, sums[0], batchMean, batchVariance), dx);
    }

    /**
     * @return true if the system property {@value #ONEDNN_PROPERTY} is {@code onednn} or unset
     * @throws IllegalArgumentException if the property holds another value than {@code onednn} or {@code java}
     */
    static boolean oneDnnSwitchedOn() {
        return SwitchProperty.isOn(ONEDNN_PROPERTY, "onednn", "java");
    }

    /** @return true if the training passes of {@code x} run on oneDNN (switch, preset, NCHW float32, eps &gt; 0) */
    private boolean usesOneDnn(INDArray x) {
        return oneDnnSwitchedOn() && x.rank() == 4 && layerConf().getEps() > 0 && OneDnn.hostFloats(x);
    }

    /** @return the oneDNN primitives for {@code x}'s shape and the layer's eps, created at the first such call */
    private OneDnnBatchNorm oneDnn(INDArray x) {
        double eps = layerConf().getEps();
        boolean blocked = SwitchProperty.isOn(LAYOUT_PROPERTY, "blocked", "plain");
        if (oneDnn == null || !oneDnn.computes(x.shape(), eps, blocked)) {
            oneDnn = OneDnnBatchNorm.create(x.shape(), eps, blocked);
        }
        return oneDnn;
    }

    /** @return how many training passes (forward or backward) ran on oneDNN so far (for tests) */
    int oneDnnPasses() {
        return oneDnnPasses;
    }

    /** Fills the gradient views: gamma, beta (unless locked), then the running-statistics updates. */
    private Gradient gradient(double[] dGamma, double[] dBeta, double[] batchMeanValues,
                              double[] batchVarianceValues) {
        Gradient g = new DefaultGradient();
        if (!layerConf().isLockGammaBeta()) {
            setGradient(g, BatchNormalizationParamInitializer.GAMMA, dGamma);
            setGradient(g, BatchNormalizationParamInitializer.BETA, dBeta);
        }
        double decay = layerConf().getDecay();
        double[] runningMean = BatchNormOps.values(getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN));
        double[] dMean = new double[runningMean.length];
        double[] dVariance = new double[runningMean.length];
        double[] runningVariance = runningVariance();
        boolean logStd = layerConf().isUseLogStd();
        for (int i = 0; i < dMean.length; i++) {
            // DL4J's update, applied as params -= gradient: mean[t+1] = mean[t] - (1-d)(mean[t] - batchMean)
            dMean[i] = (1 - decay) * (runningMean[i] - batchMeanValues[i]);
            double next = decay * runningVariance[i] + (1 - decay) * batchVarianceValues[i];
            // log10(std[t]) - log10(std[t+1]) = ln(var[t] / var[t+1]) / (2 ln 10)
            dVariance[i] = logStd ? Math.log(runningVariance[i] / next) * HALF_ON_LN10
                    : runningVariance[i] - next;
        }
        setGradient(g, BatchNormalizationParamInitializer.GLOBAL_MEAN, dMean);
        setGradient(g, logStd ? BatchNormalizationParamInitializer.GLOBAL_LOG_STD
                : BatchNormalizationParamInitializer.GLOBAL_VAR, dVariance);
        return g;
    }

    private void setGradient(Gradient g, String key, double[] values) {
        INDArray view = gradientViews.get(key);
        BatchNormOps.write(values, view);
        g.setGradientFor(key, view);
    }

    private void computeBatchStatistics(INDArray x) {
        double[][] statistics = BatchNormPasses.statistics(x);
        batchMean = statistics[0];
        batchVariance = statistics[1];
        statisticsInput = input;
    }

    /** The running variance, from {@code var} or as {@code (10^log10stdev)^2}. */
    private double[] runningVariance() {
        if (!layerConf().isUseLogStd()) {
            return BatchNormOps.values(getParam(BatchNormalizationParamInitializer.GLOBAL_VAR));
        }
        double[] log10Std = BatchNormOps.values(getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD));
        double[] variance = new double[log10Std.length];
        for (int i = 0; i < variance.length; i++) {
            variance[i] = Math.pow(10.0, 2 * log10Std[i]);
        }
        return variance;
    }

    private double[] gammaValues() {
        return layerConf().isLockGammaBeta() ? constant(layerConf().getGamma())
                : BatchNormOps.values(getParam(BatchNormalizationParamInitializer.GAMMA));
    }

    private double[] betaValues() {
        return layerConf().isLockGammaBeta() ? constant(layerConf().getBeta())
                : BatchNormOps.values(getParam(BatchNormalizationParamInitializer.BETA));
    }

    private double[] constant(double value) {
        double[] values = new double[(int) layerConf().getNOut()];
        Arrays.fill(values, value);
        return values;
    }

    private static boolean isRunningStatistic(String paramName) {
        return BatchNormalizationParamInitializer.GLOBAL_MEAN.equals(paramName)
                || BatchNormalizationParamInitializer.GLOBAL_VAR.equals(paramName)
                || BatchNormalizationParamInitializer.GLOBAL_LOG_STD.equals(paramName);
    }

    /** The input cast to the layer's type, 'c'-contiguous, validated as NCHW or dense with nOut channels. */
    private INDArray checkedInput() {
        INDArray x = input.castTo(dataType);
        long channels = layerConf().getNOut();
        if ((x.rank() != 4 && x.rank() != 2) || x.size(1) != channels) {
            throw new IllegalArgumentException("input of layer " + layerId() + " must be [batch, " + channels
                    + ", height, width] or [batch, " + channels + "], got shape " + Arrays.toString(x.shape()));
        }
        // not Shape.hasDefaultStridesForShape, which refuses a size-1 dimension after the first ([b, 1, h, w], 1x1)
        return HostAccess.isCContiguous(x.shape(), x.stride()) ? x : x.dup('c');
    }
}
