package org.rpg4j.dl4j.layers;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * Configuration of a 2-D convolution that runs libnd4j's {@code conv2d}/{@code conv2d_bp} ops
 * (oneDNN kernels with the {@code linux-x86_64-onednn-avx2} classifier), a drop-in replacement for
 * DL4J's {@link ConvolutionLayer}.
 *
 * <p>It <em>is</em> a {@code ConvolutionLayer} (subclass): same builder options (kernel, stride,
 * padding, dilation, {@link ConvolutionMode} Truncate/Strict/Same, bias on or off, activation,
 * weight init, updaters, regularisation, constraints, dropout, weight noise), same parameter
 * initializer and so the same parameters: {@code W} of shape {@code [nOut, nIn, kh, kw]} in 'c'
 * order (viewed as {@code [nOut, nIn * kh * kw]} by pruning) and {@code b} of shape {@code [nOut]}.
 * Activations are NCHW: input {@code [batch, nIn, h, w]}, output {@code [batch, nOut, oh, ow]};
 * NHWC is rejected. Dilated kernels run libnd4j's generic kernel rather than oneDNN (libnd4j
 * 1.0.0-M2.1 cannot create oneDNN primitives for dilation above 1): correct, but several times slower.
 *
 * <pre>{@code
 * new FastConvolutionLayer.Builder(3, 3).nOut(16).stride(1, 1)
 *     .convolutionMode(ConvolutionMode.Same).hasBias(false)
 *     .activation(Activation.IDENTITY).build();
 * }</pre>
 */
public class FastConvolutionLayer extends ConvolutionLayer {

    private static final long serialVersionUID = 1L;

    /** For JSON deserialisation; use {@link Builder}. */
    public FastConvolutionLayer() {
        super();
    }

    private FastConvolutionLayer(Builder builder) {
        super(builder);
    }

    /**
     * Copies a standard DL4J convolution configuration into a fast one with identical settings.
     *
     * @param standard an exact {@code ConvolutionLayer} (not a subclass such as
     *     {@code Convolution1DLayer} or {@code Deconvolution2D}) in NCHW format; not modified
     * @return a new fast configuration with the same settings and parameter layout
     * @throws IllegalArgumentException if {@code standard} is a subclass or NHWC
     */
    public static FastConvolutionLayer from(ConvolutionLayer standard) {
        if (standard.getClass() != ConvolutionLayer.class) {
            throw new IllegalArgumentException("standard must be exactly a ConvolutionLayer, got "
                    + standard.getClass().getName());
        }
        requireNchw(standard.getCnn2dDataFormat(), standard.getLayerName());
        FastConvolutionLayer fast = new FastConvolutionLayer();
        ConfigurationCopy.copyFields(standard.clone(), fast, ConvolutionLayer.class);
        return fast;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams,
                             DataType networkDataType) {
        if (getNIn() <= 0 || getNOut() <= 0) {
            throw new IllegalArgumentException("nIn and nOut must be > 0 for layer " + getLayerName()
                    + ", got nIn=" + getNIn() + ", nOut=" + getNOut()
                    + " (set them, or give the network an InputType)");
        }
        requireNchw(getCnn2dDataFormat(), getLayerName());
        FastConvolutionLayerImpl layer = new FastConvolutionLayerImpl(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(paramTable);
        layer.setConf(conf);
        FastLayers.warnOnceIfNoOneDnn();
        OneDnnInstructionSet.adviseOnce();
        return layer;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        super.setNIn(inputType, override);
        requireNchw(getCnn2dDataFormat(), getLayerName());
    }

    /**
     * @return DL4J's updater for the parameter, as its Java-loop version for {@code Sgd}, {@code Nesterovs} and
     *     {@code Adam} (equal to it; see {@code HostUpdates}): the stored configuration is unchanged
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
        long paramSize = initializer().numParams(this);
        long updaterStateSize = getIUpdater() == null ? 0 : getIUpdater().stateSize(paramSize);
        InputType outputType = getOutputType(-1, inputType);
        // The ops keep no im2col buffer; oneDNN's scratch memory is native and not reported.
        // Training needs the input gradient (input-sized) on top of the activations.
        return new LayerMemoryReport.Builder(layerName, FastConvolutionLayer.class, inputType, outputType)
                .standardMemory(paramSize, updaterStateSize)
                .workingMemory(0, 0, 0, inputType.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public boolean equals(Object o) {
        // Lombok's equals in ConvolutionLayer would call a DL4J ConvolutionLayer with the same
        // settings equal to this one; the class is part of the configuration.
        return o != null && o.getClass() == getClass() && super.equals(o);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + getClass().getName().hashCode();
    }

    @Override
    public String toString() {
        return "FastConvolutionLayer(" + super.toString() + ")";
    }

    @Override
    protected boolean canEqual(Object other) {
        // Lombok's equals asks the other side; a DL4J layer is never equal to a fast one.
        return other instanceof FastConvolutionLayer;
    }

    static void requireNchw(CNN2DFormat format, String layerName) {
        if (format != null && format != CNN2DFormat.NCHW) {
            throw new IllegalArgumentException("data format of layer " + layerName + " must be NCHW, got "
                    + format + "; use DL4J's own layer for NHWC, or NCHW input");
        }
    }

    /**
     * Builder with DL4J's {@code ConvolutionLayer.Builder} options except {@code dataFormat}
     * (NCHW only). Kernel, stride and dilation take 1 value (used for both axes) or 2 values
     * (height, width), all &gt; 0; padding takes 1 or 2 values &ge; 0 and must be 0 in Same mode.
     */
    // DL4J's Layer.Builder declares <E extends Layer> E build(); a concrete return type is an unchecked override
    @SuppressWarnings("unchecked")
    public static final class Builder extends BaseConvBuilder<Builder> {

        /** A builder with DL4J's defaults: 5x5 kernel, stride 1, no padding. */
        public Builder() {
            super();
        }

        /** @param kernelSize kernel height and width, or one value for both */
        public Builder(int... kernelSize) {
            super(kernelSize);
        }

        /**
         * @param kernelSize kernel height and width
         * @param stride stride along height and width
         */
        public Builder(int[] kernelSize, int[] stride) {
            super(kernelSize, stride);
        }

        /**
         * @param kernelSize kernel height and width
         * @param stride stride along height and width
         * @param padding zero padding along height and width (each side)
         */
        public Builder(int[] kernelSize, int[] stride, int[] padding) {
            super(kernelSize, stride, padding);
        }

        @Override
        protected boolean allowCausal() {
            return false;
        }

        @Override
        @SuppressWarnings("overrides") // DL4J declares int[]; varargs here keeps setX(3, 3) working
        public void setKernelSize(int... kernelSize) {
            this.kernelSize = pair(kernelSize, "kernelSize", 1);
        }

        @Override
        @SuppressWarnings("overrides") // DL4J declares int[]; varargs here keeps setX(3, 3) working
        public void setStride(int... stride) {
            this.stride = pair(stride, "stride", 1);
        }

        @Override
        @SuppressWarnings("overrides") // DL4J declares int[]; varargs here keeps setX(3, 3) working
        public void setPadding(int... padding) {
            this.padding = pair(padding, "padding", 0);
        }

        @Override
        @SuppressWarnings("overrides") // DL4J declares int[]; varargs here keeps setX(3, 3) working
        public void setDilation(int... dilation) {
            this.dilation = pair(dilation, "dilation", 1);
        }

        /**
         * @return the configuration
         * @throws IllegalArgumentException if nOut is negative, or padding is set in Same mode
         */
        @Override
        public FastConvolutionLayer build() {
            if (nOut < 0 || nIn < 0) {
                throw new IllegalArgumentException("nIn and nOut must be >= 0 (0 = inferred), got nIn="
                        + nIn + ", nOut=" + nOut);
            }
            if (convolutionMode == ConvolutionMode.Same && (padding[0] != 0 || padding[1] != 0)) {
                throw new IllegalArgumentException("padding must be 0 in ConvolutionMode.Same, got "
                        + Arrays.toString(padding));
            }
            return new FastConvolutionLayer(this);
        }

        private static int[] pair(int[] values, String name, int min) {
            if (values == null || values.length < 1 || values.length > 2) {
                throw new IllegalArgumentException(name + " must have 1 or 2 values, got "
                        + Arrays.toString(values));
            }
            int[] pair = values.length == 1 ? new int[] {values[0], values[0]} : values.clone();
            if (pair[0] < min || pair[1] < min) {
                throw new IllegalArgumentException(name + " values must be >= " + min + ", got "
                        + Arrays.toString(values));
            }
            return pair;
        }
    }
}
