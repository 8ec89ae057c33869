package org.rpg4j.dl4j.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.ActivationLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runtime layer of {@link FastActivationLayer}: plain ReLU without copies (output to the
 * {@link ArrayType#ACTIVATIONS} workspace, input gradient to {@link ArrayType#ACTIVATION_GRAD}); any
 * other activation is DL4J's {@code ActivationLayer}. The input is never modified. The backward pass of float32
 * host arrays is a Java loop over their memory (the common fork-join pool and the calling thread), libnd4j's
 * {@code relu_bp} op otherwise or with the system property {@value #LOOPS_PROPERTY} {@code libnd4j}.
 */
public class FastActivationLayerImpl extends ActivationLayer {

    private static final long serialVersionUID = 1L;
    /**
     * System property: {@code libnd4j} runs the ReLU's backward pass as libnd4j's {@code relu_bp} op; {@code auto}
     * (default) as a Java loop over the host memory of float32 arrays, read at every call.
     */
    static final String LOOPS_PROPERTY = "rpg4j.relu";
    /** Parallel ranges of the Java loops: enough for the common pool's threads to balance. */
    private static final int LOOP_BLOCKS = 16;

    /**
     * @param conf the network's configuration of this layer
     * @param dataType the network's data type
     */
    public FastActivationLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /**
     * @return {@code max(input, 0)} for a plain ReLU, same shape as the input (in training, the input itself when the
     *     configuration says {@code inputRectified}: the layer before rectified it); otherwise DL4J's result
     */
    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!isPlainRelu()) {
            return super.activate(training, workspaceMgr);
        }
        assertInputSet(false);
        if (layerConf() instanceof FastActivationLayer fast && ReluFusion.applies(fast.isInputRectified(), training)) {
            // the layer or vertex before wrote max(y, 0) (ReluFusion): its output is this layer's
            return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, input);
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), input.shape(), 'c');
        if (!training && input.length() < BatchNormInference.SEQUENTIAL_ELEMENTS
                && ChannelKernels.applicable(input, out)) {
            // a small inference call: a Java loop costs a few us, a native op about 10-30 (docs/structured.md)
            int length = (int) input.length();
            float[] values = InferenceScratch.floats(0, length);
            ChannelKernels.floats(input).get(0, values, 0, length);
            for (int i = 0; i < length; i++) {
                values[i] = Math.max(values[i], 0.0f);
            }
            ChannelKernels.floats(out).put(0, values, 0, length);
        } else {
            Nd4j.exec(new RectifiedLinear(input, out, 0.0));
        }
        return out;
    }

    /**
     * @param epsilon dL/d(output); not modified
     * @return no gradient (no parameters), and dL/d(input) = {@code step(input) * epsilon} for a plain ReLU
     */
    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!isPlainRelu()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c');
        INDArray dy = epsilon.castTo(dx.dataType());
        if (javaLoops() && input.length() >= BatchNormInference.SEQUENTIAL_ELEMENTS
                && ChannelKernels.applicableFlat(input, dy, dx)) {
            // one pass in Java loops over the host memory, dx = input > 0 ? epsilon : 0
            ChannelKernels.reluBackward(ChannelKernels.floats(input), ChannelKernels.floats(dy),
                    ChannelKernels.floats(dx), (int) dx.length(), LOOP_BLOCKS);
        } else {
            // one pass (libnd4j relu_bp): dx = input > 0 ? epsilon : 0
            Nd4j.exec(new RectifiedLinearDerivative(input, dy, dx));
        }
        return new Pair<>(new DefaultGradient(), dx);
    }

    /**
     * @return true unless the system property {@value #LOOPS_PROPERTY} is {@code libnd4j}
     * @throws IllegalArgumentException if the property holds another value than {@code auto} or {@code libnd4j}
     */
    static boolean javaLoops() {
        return SwitchProperty.isOn(LOOPS_PROPERTY, "auto", "libnd4j");
    }

    /** @return true for a ReLU without maximum, threshold or negative slope: the layer's own fast path */
    boolean isPlainRelu() {
        return isPlainRelu(layerConf().getActivationFn());
    }

    /**
     * @param activation an activation function
     * @return true if it is {@code max(x, 0)}: a ReLU without maximum, threshold or negative slope
     */
    static boolean isPlainRelu(IActivation activation) {
        return activation instanceof ActivationReLU relu && relu.getMax() == null
                && (relu.getThreshold() == null || relu.getThreshold() == 0.0)
                && (relu.getNegativeSlope() == null || relu.getNegativeSlope() == 0.0);
    }
}
