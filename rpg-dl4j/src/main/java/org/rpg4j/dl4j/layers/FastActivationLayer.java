package org.rpg4j.dl4j.layers;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Configuration of an activation layer that computes a plain ReLU without DL4J's copies, a drop-in
 * replacement for DL4J's {@link ActivationLayer} (a subclass; no parameters).
 *
 * <p>DL4J's layer copies its input before applying the activation in place, and in backprop
 * copies it again and runs libnd4j's {@code relu_bp} op into a third array; for ReLU this layer
 * writes {@code max(x, 0)} straight into the output and computes {@code dx = step(x) * dy} (two
 * element-wise passes into the input gradient). {@code step(0) = 0}, as in DL4J. Every other
 * activation (including ReLU with a maximum, threshold or negative slope) runs DL4J's code.
 *
 * <pre>{@code
 * new FastActivationLayer(Activation.RELU)
 * }</pre>
 */
public class FastActivationLayer extends ActivationLayer {

    private static final long serialVersionUID = 1L;

    private boolean inputRectified;

    /** For JSON deserialisation. */
    public FastActivationLayer() {
        super();
    }

    /** @param activation the activation function */
    public FastActivationLayer(Activation activation) {
        this(activation.getActivationFunction());
    }

    /** @param activation the activation function */
    public FastActivationLayer(IActivation activation) {
        super(new ActivationLayer.Builder().activation(activation));
    }

    /**
     * @param standard an exact {@code ActivationLayer}; not modified
     * @return a new fast configuration with the same settings
     * @throws IllegalArgumentException if {@code standard} is a subclass
     */
    public static FastActivationLayer from(ActivationLayer standard) {
        if (standard.getClass() != ActivationLayer.class) {
            throw new IllegalArgumentException("standard must be exactly an ActivationLayer, got "
                    + standard.getClass().getName());
        }
        FastActivationLayer fast = new FastActivationLayer();
        ConfigurationCopy.copyFields(standard.clone(), fast, ActivationLayer.class);
        return fast;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams,
                             DataType networkDataType) {
        FastActivationLayerImpl layer = new FastActivationLayerImpl(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(paramTable);
        layer.setConf(conf);
        return layer;
    }

    /**
     * @return true if the layer before writes {@code max(y, 0)} in training forward passes, so that this plain ReLU
     *     returns its input there; set by {@code FastLayers.withFastLayers} (see {@link
     *     FastBatchNormalization#isRectifyOutput})
     */
    public boolean isInputRectified() {
        return inputRectified;
    }

    /**
     * @param inputRectified true: training forward passes of a plain ReLU return the input, which the layer or
     *     vertex before has rectified; only with a producer marked to do so
     */
    public void setInputRectified(boolean inputRectified) {
        this.inputRectified = inputRectified;
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && super.equals(o)
                && ((FastActivationLayer) o).inputRectified == inputRectified;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * super.hashCode() + getClass().getName().hashCode()) + Boolean.hashCode(inputRectified);
    }

    @Override
    public String toString() {
        return "FastActivationLayer(" + super.toString() + (inputRectified ? ", inputRectified" : "") + ")";
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof FastActivationLayer;
    }
}
