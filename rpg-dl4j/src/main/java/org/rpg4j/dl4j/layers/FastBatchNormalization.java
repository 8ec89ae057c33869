package org.rpg4j.dl4j.layers;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * Configuration of a batch normalisation (Ioffe and Szegedy 2015, Algorithm 1) that makes one
 * pass over the data per sum and one per output (Java loops over host memory for NCHW float32 on
 * ND4J's CPU backend, libnd4j's {@code moments} and {@code batchnorm} ops otherwise), a drop-in
 * replacement for DL4J's {@link BatchNormalization}.
 *
 * <p>It <em>is</em> a {@code BatchNormalization} (subclass) with the same options and the same
 * parameters, all of shape {@code [nOut]}: {@code gamma}, {@code beta} (absent with
 * {@code lockGammaBeta}), {@code mean} and either {@code log10stdev} ({@code useLogStd(true)},
 * DL4J's default) or {@code var}. The running statistics are updated exactly as DL4J does: as a
 * "gradient" applied with a no-op updater, {@code mean -= (1 - decay) (mean - batchMean)}, and the
 * same for the variance or log10 standard deviation; variances are biased (divided by the count).
 * Inputs are NCHW {@code [batch, nOut, h, w]} or dense {@code [batch, nOut]}; like DL4J's layer,
 * it applies no activation function.
 *
 * <pre>{@code
 * new FastBatchNormalization.Builder().nOut(16).decay(0.9).eps(1e-5).build();
 * }</pre>
 */
public class FastBatchNormalization extends BatchNormalization {

    private static final long serialVersionUID = 1L;

    private boolean rectifyOutput;

    /** For JSON deserialisation; DL4J's defaults (decay 0.9, eps 1e-5, useLogStd). */
    public FastBatchNormalization() {
        super();
    }

    /**
     * Copies a standard DL4J batch normalisation configuration into a fast one.
     *
     * @param standard an exact {@code BatchNormalization}; not modified
     * @return a new fast configuration with the same settings and parameter layout
     * @throws IllegalArgumentException if {@code standard} is a subclass, NHWC, or has decay outside
     *     [0, 1] or a negative or non-finite eps
     */
    public static FastBatchNormalization from(BatchNormalization standard) {
        if (standard.getClass() != BatchNormalization.class) {
            throw new IllegalArgumentException("standard must be exactly a BatchNormalization, got "
                    + standard.getClass().getName());
        }
        FastBatchNormalization fast = new FastBatchNormalization();
        ConfigurationCopy.copyFields(standard.clone(), fast, BatchNormalization.class);
        fast.validate();
        return fast;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams,
                             DataType networkDataType) {
        if (getNOut() <= 0) {
            throw new IllegalArgumentException("nOut must be > 0 for layer " + getLayerName() + ", got "
                    + getNOut() + " (set it, or give the network an InputType)");
        }
        validate();
        FastBatchNormalizationImpl layer = new FastBatchNormalizationImpl(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(paramTable);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (inputType == null || (inputType.getType() != InputType.Type.CNN
                && inputType.getType() != InputType.Type.CNNFlat && inputType.getType() != InputType.Type.FF)) {
            throw new IllegalArgumentException("input type of layer " + getLayerName()
                    + " must be CNN, CNNFlat or FF, got " + inputType);
        }
        return super.getOutputType(layerIndex, inputType);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        super.setNIn(inputType, override);
        FastConvolutionLayer.requireNchw(getCnn2DFormat(), getLayerName());
    }

    /**
     * @return DL4J's updater for the parameter ({@code NoOp} for the running statistics), as its Java-loop version
     *     for {@code Sgd}, {@code Nesterovs} and {@code Adam} (equal to it; see {@code HostUpdates})
     */
    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        return HostUpdates.forParam(super.getUpdaterByParam(paramName));
    }

    /**
     * @return DL4J's regularizations for the parameter, {@code L2Regularization} and {@code WeightDecay} as their
     *     Java-loop versions (equal to them; see {@code HostUpdates}), in the same order
     */
    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return HostUpdates.forParam(super.getRegularizationByParam(paramName));
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long numParams = initializer().numParams(this);
        long updaterStateSize = 0;
        for (String key : initializer().paramKeys(this)) {
            updaterStateSize += getUpdaterByParam(key).stateSize(nOut);
        }
        // Training keeps 4 per-channel vectors; backprop writes the input gradient (input-sized).
        return new LayerMemoryReport.Builder(layerName, FastBatchNormalization.class, inputType, outputType)
                .standardMemory(numParams, updaterStateSize)
                .workingMemory(0, 0, 4 * nOut, inputType.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    /**
     * @return true if a training forward pass writes {@code max(y, 0)}: set by {@code FastLayers.withFastLayers}
     *     when the only reader of this layer is a plain ReLU {@link FastActivationLayer}, which then skips its pass
     */
    public boolean isRectifyOutput() {
        return rectifyOutput;
    }

    /**
     * @param rectifyOutput true: training forward passes write {@code max(y, 0)}; only for a layer whose one reader
     *     is a plain ReLU {@link FastActivationLayer} marked {@link FastActivationLayer#setInputRectified}
     */
    public void setRectifyOutput(boolean rectifyOutput) {
        this.rectifyOutput = rectifyOutput;
    }

    @Override
    public boolean equals(Object o) {
        // Lombok's equals in BatchNormalization ignores the subclass; the class is part of the config.
        return o != null && o.getClass() == getClass() && super.equals(o)
                && ((FastBatchNormalization) o).rectifyOutput == rectifyOutput;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * super.hashCode() + getClass().getName().hashCode()) + Boolean.hashCode(rectifyOutput);
    }

    @Override
    public String toString() {
        return "FastBatchNormalization(" + super.toString() + (rectifyOutput ? ", rectifyOutput" : "") + ")";
    }

    @Override
    protected boolean canEqual(Object other) {
        // Lombok's equals asks the other side; a DL4J layer is never equal to a fast one.
        return other instanceof FastBatchNormalization;
    }

    private void validate() {
        if (!(decay >= 0 && decay <= 1)) {
            throw new IllegalArgumentException("decay must be in [0, 1], got " + decay);
        }
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("eps must be finite and >= 0, got " + eps);
        }
        FastConvolutionLayer.requireNchw(getCnn2DFormat(), getLayerName());
    }

    /**
     * DL4J's {@code BatchNormalization.Builder} (all its options), building a
     * {@code FastBatchNormalization}. Its fluent methods are DL4J's, so a chain ending in
     * {@code build()} has the static type {@code BatchNormalization}; the object is a
     * {@code FastBatchNormalization}.
     */
    // DL4J's Layer.Builder declares <E extends Layer> E build(); a concrete return type is an unchecked override
    @SuppressWarnings("unchecked")
    public static final class Builder extends BatchNormalization.Builder {

        /** A builder with DL4J's defaults. */
        public Builder() {
            super();
        }

        /**
         * @return the configuration
         * @throws IllegalArgumentException if decay is outside [0, 1], eps is negative or not
         *     finite, or the data format is NHWC
         */
        @Override
        public FastBatchNormalization build() {
            return from(super.build());
        }
    }
}
