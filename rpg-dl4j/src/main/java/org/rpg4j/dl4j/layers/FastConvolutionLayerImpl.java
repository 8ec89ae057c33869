package org.rpg4j.dl4j.layers;

import java.util.Arrays;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2DDerivative;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.dl4j.layers.onednn.OneDnn;
import org.rpg4j.dl4j.layers.onednn.OneDnnConvolution;
import org.rpg4j.dl4j.layers.onednn.OneDnnLayerInference;
import org.rpg4j.sparse.kernel.ConvolutionShape;
import org.rpg4j.sparse.kernel.FusedActivation;

/**
 * The runtime layer of {@link FastConvolutionLayer}: forward with libnd4j's {@code conv2d} op,
 * backward with {@code conv2d_bp}, weights {@code W [nOut, nIn, kh, kw]} ('c') and bias
 * {@code b [nOut]} read in place (weight format 1 of the ops), gradients written straight into
 * DL4J's gradient views. Outputs go to the {@link ArrayType#ACTIVATIONS} workspace, input
 * gradients to {@link ArrayType#ACTIVATION_GRAD}, as in DL4J's {@code ConvolutionLayer}.
 */
public class FastConvolutionLayerImpl extends BaseLayer<FastConvolutionLayer> {

    private static final long serialVersionUID = 1L;
    private static final String WEIGHT_KEY = ConvolutionParamInitializer.WEIGHT_KEY;
    private static final String BIAS_KEY = ConvolutionParamInitializer.BIAS_KEY;
    /**
     * System property: {@code fused} (default) runs inference-mode calls on oneDNN's inference primitive (weights
     * kept in oneDNN's layout between calls, ReLU fused); {@code training} on the training primitive and a separate
     * activation op, as before session 12. Read at every call.
     */
    static final String INFERENCE_PRIMITIVE_PROPERTY = "rpg4j.convolution.inferencePrimitive";

    private transient OpContext forwardContext;
    private transient OpContext backwardContext;
    private transient OneDnnConvolution oneDnn;
    private transient boolean lastCallOneDnn;
    private transient ConvolutionShape rejectedShape;
    private transient int rejectedBatch;
    private transient ConvolutionInference inference;
    private transient OneDnnLayerInference inferencePrimitive;
    private transient boolean lastCallInferencePrimitive;

    /**
     * @param conf the network's configuration of this layer
     * @param dataType the network's data type
     */
    public FastConvolutionLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.CONVOLUTIONAL;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public boolean hasBias() {
        return layerConf().hasBias();
    }

    @Override
    public void setParams(INDArray params) {
        // Convolution weights are flattened in 'c' order, unlike BaseLayer's default 'f'.
        setParams(params, 'c');
    }

    /**
     * DL4J's regularization score (computed on every fit for the reported score), an L2 term of float host
     * parameters summed in Java instead of one {@code norm2} op per parameter ({@code RegularizationScore}).
     *
     * @param backpropParamsOnly ignored, as in DL4J's {@code BaseLayer} (every parameter is trained by backprop)
     * @return the sum of the parameters' regularization scores
     */
    @Override
    public double calcRegularizationScore(boolean backpropParamsOnly) {
        return RegularizationScore.sum(paramTable(), layerConf()::getRegularizationByParam, getIterationCount(),
                getEpochCount());
    }

    @Override
    public void fit(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException("FastConvolutionLayer cannot be fitted on its own; "
                + "train the network that contains it");
    }

    /**
     * @param training true in training (dropout, weight noise apply)
     * @param workspaceMgr the network's workspace manager
     * @return activation of the convolution, {@code [batch, nOut, oh, ow]}
     */
    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        if (!training) {
            INDArray out = inferenceOutput(workspaceMgr);
            if (out == null) {
                out = nativeInference(workspaceMgr, false);
            }
            if (out != null) {
                return out;
            }
        }
        INDArray z = preOutput(training, workspaceMgr);
        return layerConf().getActivationFn().getActivation(z, training);
    }

    /**
     * The inference pass through {@link ConvolutionInference}: the {@code conv2d} op or the Java kernel, as
     * measured (or forced) for this input shape.
     *
     * @return the activation, or null if the Java kernel cannot compute this call (the op path runs)
     */
    private INDArray inferenceOutput(LayerWorkspaceMgr workspaceMgr) {
        ConvolutionInference.Choice choice = ConvolutionInference.Choice.current();
        if (choice == ConvolutionInference.Choice.NATIVE) {
            return null;
        }
        INDArray x = checkedInput();
        INDArray weights = getParamWithNoise(WEIGHT_KEY, false, workspaceMgr);
        INDArray bias = hasBias() ? getParamWithNoise(BIAS_KEY, false, workspaceMgr) : null;
        FastConvolutionLayer conf = layerConf();
        ConvolutionGeometry geometry = ConvolutionGeometry.of(conf, x);
        boolean applicable = bias == null
                ? ConvolutionInference.applicable(conf.getConvolutionMode(), geometry.dilated(), x, weights)
                : ConvolutionInference.applicable(conf.getConvolutionMode(), geometry.dilated(), x, weights, bias);
        if (!applicable) {
            return null;
        }
        ConvolutionShape shape = kernelShape(geometry, x, weights);
        IActivation activation = conf.getActivationFn();
        boolean relu = FastActivationLayerImpl.isPlainRelu(activation);
        if (inference == null) {
            inference = new ConvolutionInference();
        }
        return inference.output(shape, (int) x.size(0), choice, () -> {
            INDArray z = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                    geometry.outputShape(x.size(0), weights.size(0)), 'c');
            inference.runJava(shape, x, weights, bias, relu ? FusedActivation.RELU : FusedActivation.IDENTITY, z);
            return relu ? z : activation.getActivation(z, false);
        }, () -> {
            INDArray out = nativeInference(workspaceMgr, true);
            return out != null ? out : activation.getActivation(preOutput(false, workspaceMgr), false);
        });
    }

    /**
     * An inference call on oneDNN's inference primitive ({@link OneDnnLayerInference}: weights kept in oneDNN's
     * layout while they do not change, a plain ReLU fused), unless the system property
     * {@value #INFERENCE_PRIMITIVE_PROPERTY} is {@code training}.
     *
     * @param hostChecked true if {@link ConvolutionInference#applicable} accepted this call's arrays (float32,
     *     'c'-contiguous host memory): their host pointers are not looked up again (a JNI call each)
     * @return the activation, or null where the direct oneDNN path does not apply (the op path then runs)
     */
    private INDArray nativeInference(LayerWorkspaceMgr workspaceMgr, boolean hostChecked) {
        lastCallInferencePrimitive = false;
        if (!SwitchProperty.isOn(INFERENCE_PRIMITIVE_PROPERTY, "fused", "training")) {
            return null;
        }
        INDArray x = checkedInput();
        INDArray weights = getParamWithNoise(WEIGHT_KEY, false, workspaceMgr);
        INDArray bias = hasBias() ? getParamWithNoise(BIAS_KEY, false, workspaceMgr) : null;
        ConvolutionGeometry geometry = ConvolutionGeometry.of(layerConf(), x);
        boolean applies = !geometry.dilated() && (hostChecked ? OneDnn.mode() == OneDnn.Mode.AUTO && OneDnn.available()
                : OneDnn.applies(x, weights, bias));
        if (!applies) {
            return null;
        }
        ConvolutionShape shape = kernelShape(geometry, x, weights);
        int batch = (int) x.size(0);
        if (shape.equals(rejectedShape) && batch == rejectedBatch) {
            return null;
        }
        IActivation activation = layerConf().getActivationFn();
        boolean relu = FastActivationLayerImpl.isPlainRelu(activation);
        if (inferencePrimitive == null || !inferencePrimitive.computes(shape, batch, hasBias(), relu)) {
            try {
                inferencePrimitive = OneDnnLayerInference.create(shape, batch, hasBias(), relu);
            } catch (IllegalStateException e) {
                // oneDNN rejected this geometry: this call and the next ones of the layer run libnd4j's ops
                OneDnn.reportRejected(shape + ", batch " + batch + ", bias " + hasBias(), e);
                rejectedShape = shape;
                rejectedBatch = batch;
                inferencePrimitive = null;
                return null;
            }
        }
        INDArray z = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, geometry.outputShape(batch,
                weights.size(0)), 'c');
        inferencePrimitive.forward(x, weights, bias, z);
        lastCallInferencePrimitive = true;
        return relu ? z : activation.getActivation(z, false);
    }

    /** @return true if the last inference call ran {@link OneDnnLayerInference} (for tests) */
    boolean usesInferencePrimitive() {
        return lastCallInferencePrimitive;
    }

    /** @return the inference primitive of the last such call, or null (for tests) */
    OneDnnLayerInference inferencePrimitive() {
        return inferencePrimitive;
    }

    /**
     * @return the Java kernel's geometry: output size as DL4J computes it, top/left padding as given (Truncate,
     *     Strict) or as libnd4j computes it in Same mode, {@code ((out - 1) * s + k - in) / 2}
     */
    private ConvolutionShape kernelShape(ConvolutionGeometry geometry, INDArray x, INDArray weights) {
        int[] args = geometry.intArgs();
        int height = (int) x.size(2);
        int width = (int) x.size(3);
        int kh = args[0];
        int kw = args[1];
        int sh = args[2];
        int sw = args[3];
        boolean same = args[8] == 1;
        int padTop = same ? Math.max(0, ((geometry.outHeight() - 1) * sh + kh - height) / 2) : args[4];
        int padLeft = same ? Math.max(0, ((geometry.outWidth() - 1) * sw + kw - width) / 2) : args[5];
        return new ConvolutionShape((int) x.size(1), height, width, (int) weights.size(0), kh, kw, sh, sw, padTop,
                padLeft, geometry.outHeight(), geometry.outWidth());
    }

    /** @return the inference kernel choice, or null before the first inference call (for tests) */
    ConvolutionInference inferenceKernels() {
        return inference;
    }

    @Override
    protected INDArray preOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray x = checkedInput();
        INDArray weights = getParamWithNoise(WEIGHT_KEY, training, workspaceMgr);
        ConvolutionGeometry geometry = ConvolutionGeometry.of(layerConf(), x);
        INDArray z = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                geometry.outputShape(x.size(0), weights.size(0)), 'c');
        INDArray bias = hasBias() ? getParamWithNoise(BIAS_KEY, training, workspaceMgr) : null;
        OneDnnConvolution direct = oneDnn(geometry, x, weights, bias, z);
        if (direct != null) {
            if (training && OneDnn.keepsInput()) {
                direct.forwardForTraining(x, weights, bias, z);
            } else {
                direct.forward(x, weights, bias, z);
            }
            return z;
        }
        INDArray[] inputs = bias != null ? new INDArray[] {x, weights, bias} : new INDArray[] {x, weights};
        if (forwardContext == null) {
            forwardContext = Nd4j.getExecutioner().buildContext();
        }
        execute(new Conv2D(), forwardContext, geometry, inputs, new INDArray[] {z});
        return z;
    }

    /**
     * @param epsilon dL/d(output) {@code [batch, nOut, oh, ow]}; not modified
     * @param workspaceMgr the network's workspace manager
     * @return the gradients of {@code b} (if present) and {@code W}, written into this layer's
     *     gradient views, and dL/d(input) {@code [batch, nIn, h, w]}
     */
    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray x = checkedInput();
        INDArray weights = getParamWithNoise(WEIGHT_KEY, true, workspaceMgr);
        INDArray delta = outputDelta(epsilon.castTo(dataType), workspaceMgr);
        ConvolutionGeometry geometry = ConvolutionGeometry.of(layerConf(), x);

        INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
                x.shape(), 'c');
        INDArray weightGradient = gradientViews.get(WEIGHT_KEY);
        Gradient gradient = new DefaultGradient();
        INDArray bias = hasBias() ? getParamWithNoise(BIAS_KEY, true, workspaceMgr) : null;
        INDArray biasGradient = hasBias() ? gradientViews.get(BIAS_KEY) : null;
        OneDnnConvolution direct = oneDnn(geometry, x, weights, bias, delta, inputGradient, weightGradient,
                biasGradient);
        if (backwardContext == null && direct == null) {
            backwardContext = Nd4j.getExecutioner().buildContext();
        }
        if (direct != null) {
            direct.backward(x, weights, delta, inputGradient, weightGradient, biasGradient);
            if (biasGradient != null) {
                gradient.setGradientFor(BIAS_KEY, biasGradient);
            }
        } else if (hasBias()) {
            execute(new Conv2DDerivative(), backwardContext, geometry, new INDArray[] {x, weights, bias, delta},
                    new INDArray[] {inputGradient, weightGradient, biasGradient});
            gradient.setGradientFor(BIAS_KEY, biasGradient);
        } else {
            execute(new Conv2DDerivative(), backwardContext, geometry, new INDArray[] {x, weights, delta},
                    new INDArray[] {inputGradient, weightGradient});
        }
        gradient.setGradientFor(WEIGHT_KEY, weightGradient, 'c');
        weightNoiseParams.clear();
        return new Pair<>(gradient, backpropDropOutIfPresent(inputGradient));
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
                                                          int minibatchSize) {
        if (maskArray == null) {
            return new Pair<>(null, currentMaskState);
        }
        FastConvolutionLayer c = layerConf();
        INDArray outMask = ConvolutionUtils.cnn2dMaskReduction(maskArray, c.getKernelSize(), c.getStride(),
                c.getPadding(), c.getDilation(), c.getConvolutionMode());
        return new Pair<>(outMask, currentMaskState);
    }

    /**
     * The direct oneDNN convolution for this call (created at the first call of a shape and batch size), or
     * null when libnd4j's ops must run: dilated kernels, the switch off, oneDNN missing, or an array that is
     * not float32 'c'-contiguous host memory (then {@link OneDnn#applies} says no).
     */
    private OneDnnConvolution oneDnn(ConvolutionGeometry geometry, INDArray x, INDArray weights, INDArray... others) {
        lastCallOneDnn = !geometry.dilated() && OneDnn.applies(x, weights) && OneDnn.applies(others);
        if (!lastCallOneDnn) {
            return null;
        }
        ConvolutionShape shape = kernelShape(geometry, x, weights);
        int batch = (int) x.size(0);
        if (shape.equals(rejectedShape) && batch == rejectedBatch) {
            lastCallOneDnn = false;
            return null;
        }
        if (oneDnn == null || !oneDnn.computes(shape, batch, hasBias())) {
            try {
                oneDnn = OneDnnConvolution.create(shape, batch, hasBias(), OneDnnConvolution.Layout.BLOCKED);
            } catch (IllegalStateException e) {
                // oneDNN rejected this geometry: this call and the next ones of the layer run libnd4j's ops
                OneDnn.reportRejected(shape + ", batch " + batch + ", bias " + hasBias(), e);
                rejectedShape = shape;
                rejectedBatch = batch;
                oneDnn = null;
                lastCallOneDnn = false;
                return null;
            }
        }
        return oneDnn;
    }

    /** @return true if the last training or native inference call ran oneDNN's primitives directly (for tests) */
    boolean usesOneDnn() {
        return lastCallOneDnn;
    }

    /**
     * Runs a convolution op on a reused context. oneDNN is switched off for dilated kernels only:
     * libnd4j 1.0.0-M2.1 fails to create oneDNN primitives for any dilation above 1, so those run
     * libnd4j's generic kernel (correct, several times slower).
     */
    private static void execute(DynamicCustomOp op, OpContext context, ConvolutionGeometry geometry,
                                INDArray[] inputs, INDArray[] outputs) {
        context.purge();
        context.setIArguments(geometry.intArgsAsLong());
        context.setInputArrays(inputs);
        context.setOutputArrays(outputs);
        context.allowHelpers(!geometry.dilated());
        Nd4j.exec(op, context);
    }

    /** dL/dz from dL/d(activation): the activation's backprop on a recomputed z, skipped for identity. */
    private INDArray outputDelta(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        IActivation activation = layerConf().getActivationFn();
        INDArray delta = epsilon;
        if (!(activation instanceof ActivationIdentity)) {
            // As DL4J's ConvolutionLayer: recompute z (the forward output was overwritten in place).
            delta = activation.backprop(preOutput(true, workspaceMgr), epsilon).getFirst();
        }
        if (!Shape.hasDefaultStridesForShape(delta)) {
            delta = workspaceMgr.dup(ArrayType.BP_WORKING_MEM, delta, 'c');
        }
        return delta;
    }

    /** The input cast to the layer's type, 'c'-contiguous, validated as {@code [batch, nIn, h, w]}. */
    private INDArray checkedInput() {
        INDArray x = input.castTo(dataType);
        long nIn = layerConf().getNIn();
        if (x.rank() != 4 || x.size(1) != nIn) {
            throw new IllegalArgumentException("input of layer " + layerId() + " must be NCHW [batch, " + nIn
                    + ", height, width], got shape " + Arrays.toString(x.shape()));
        }
        return Shape.hasDefaultStridesForShape(x) ? x : x.dup('c');
    }
}
