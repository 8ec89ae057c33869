package org.rpg4j.dl4j.deploy.runner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.rpg4j.sparse.kernel.ConvolutionShape;
import org.rpg4j.sparse.kernel.FusedActivation;
import org.rpg4j.sparse.kernel.PlaneLayout;
import org.rpg4j.sparse.kernel.SparseConvolution;

/**
 * A 2-D convolution (batch norm already folded into its weights and bias, ReLU or identity fused),
 * on NCHW input {@code [batch, in, h, w]}: sparse via {@link SparseConvolution}, dense via libnd4j's
 * {@code conv2d} op (oneDNN with the {@code -onednn} classifier) with the same folded weights. With a
 * residual input (a ResNet block's last convolution and the add after it, compiled as one step) the
 * step's second input is added before the activation.
 */
final class ConvolutionStep extends CalibratedStep {

    private final ConvolutionSpec spec;
    private final float[] weights;
    private final float[] bias;
    private final FusedActivation activation;
    private final RunnerOptions options;
    private final INDArray weightArray;
    private final INDArray biasArray;
    private final Map<Long, SparseConvolution> sparseBySize = new HashMap<>();
    private final List<Step> readers = new ArrayList<>();
    private final boolean residual;
    private OpContext context;
    private ArrayPool pool;

    /**
     * @param name the layer name
     * @param spec the geometry
     * @param weights folded {@code [out, in, kh, kw]} row-major; kept
     * @param bias folded {@code [out]}; kept
     * @param activation fused activation
     * @param fusedSuffix what was folded or fused, for the report (e.g. {@code " +bn +relu"})
     * @param options runner options
     */
    ConvolutionStep(String name, ConvolutionSpec spec, float[] weights, float[] bias, FusedActivation activation,
                    String fusedSuffix, RunnerOptions options) {
        this(name, spec, weights, bias, activation, fusedSuffix, options, false);
    }

    /**
     * @param name the layer name
     * @param spec the geometry
     * @param weights folded {@code [out, in, kh, kw]} row-major; kept
     * @param bias folded {@code [out]}; kept
     * @param activation fused activation (after the residual term)
     * @param fusedSuffix what was folded or fused, for the report (e.g. {@code " +bn +add +relu"})
     * @param options runner options
     * @param residual true if the step's second input, of the output's shape, is added before the activation
     */
    ConvolutionStep(String name, ConvolutionSpec spec, float[] weights, float[] bias, FusedActivation activation,
                    String fusedSuffix, RunnerOptions options, boolean residual) {
        super(name, spec + fusedSuffix, density(weights), options, !spec.dilated());
        this.residual = residual;
        this.spec = spec;
        this.weights = weights;
        this.bias = bias;
        this.activation = activation;
        this.options = options;
        this.weightArray = Nd4j.create(weights, new long[] {spec.outChannels(), spec.inChannels(), spec.kernel()[0],
                spec.kernel()[1]}, 'c');
        this.biasArray = Nd4j.create(bias, new long[] {spec.outChannels()}, 'c');
    }

    @Override
    void checkInput(Tensor input) {
        long[] shape = input.shape();
        if (shape.length != 4 || shape[1] != spec.inChannels()) {
            throw new IllegalArgumentException("layer " + name() + " expects input [batch, " + spec.inChannels()
                    + ", height, width], got " + java.util.Arrays.toString(shape));
        }
    }

    @Override
    void discard(Tensor output) {
        if (pool != null) {
            output.release(pool);
        }
    }

    @Override
    public void usePool(ArrayPool runnerPool) {
        this.pool = runnerPool;
    }

    @Override
    public void addReader(Step reader) {
        readers.add(reader);
    }

    /** The sparse kernel's padded source layout for this input, unless the dense kernel runs. */
    @Override
    public PlaneLayout inputLayout(long[] inputShape) {
        if (inputShape.length != 4 || inputShape[1] != spec.inChannels() || !maySparse((int) inputShape[0])
                || spec.dilated() || spec.outSize(0, inputShape[2]) < 1 || spec.outSize(1, inputShape[3]) < 1) {
            return null;
        }
        return sparse(inputShape[2], inputShape[3]).inputLayout();
    }

    /**
     * Reads the input in the kernel's padded layout when the producer wrote it so, and writes the output
     * in the layout the readers read when the kernel can (a stride-1 convolution whose padded-width rows
     * fit the next padded layout): no copy into or out of padded planes between such layers.
     */
    @Override
    Tensor runSparse(Tensor[] inputs) {
        Tensor input = inputs[0];
        SparseConvolution conv = sparse(input.size(2), input.size(3));
        ConvolutionShape shape = conv.shape();
        int batch = (int) input.size(0);
        PlaneLayout inLayout = conv.inputLayout() != null && conv.inputLayout().equals(input.layout())
                ? input.layout() : null;
        float[] in = inLayout != null ? input.padded(inLayout) : input.floats();
        long[] outShape = {batch, shape.outChannels(), shape.outHeight(), shape.outWidth()};
        PlaneLayout outLayout = Step.wantedBy(readers, outShape);
        Tensor shortcut = shortcut(inputs, outShape);
        if (conv.writesLayout(outLayout)) {
            float[] out = ArrayPool.take(pool, batch * shape.outChannels() * outLayout.planeSize());
            conv.forward(in, inLayout, batch, out, outLayout, shortcut == null ? null : shortcut.padded(outLayout));
            return Tensor.padded(out, outLayout, outShape);
        }
        float[] out = ArrayPool.take(pool, batch * shape.outputSize());
        conv.forward(in, inLayout, batch, out, null, shortcut == null ? null : shortcut.floats());
        return Tensor.of(out, outShape);
    }

    /** @return the residual input (checked against the output shape), or null without one */
    private Tensor shortcut(Tensor[] inputs, long[] outShape) {
        if (!residual) {
            return null;
        }
        if (!java.util.Arrays.equals(inputs[1].shape(), outShape)) {
            throw new IllegalArgumentException("layer " + name() + ": the residual input must have the output's shape "
                    + java.util.Arrays.toString(outShape) + ", got " + java.util.Arrays.toString(inputs[1].shape()));
        }
        return inputs[1];
    }

    private SparseConvolution sparse(long height, long width) {
        return sparseBySize.computeIfAbsent(height << 32 | width, key -> SparseConvolution.of(spec.shape(height,
                width), weights, bias, activation, options.threading()));
    }

    @Override
    Tensor runDense(Tensor[] inputs) {
        INDArray x = inputs[0].array();
        if (x.dataType() != DataType.FLOAT) {
            x = x.castTo(DataType.FLOAT);
        }
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, x.size(0), spec.outChannels(),
                spec.outSize(0, x.size(2)), spec.outSize(1, x.size(3)));
        if (context == null) {
            context = Nd4j.getExecutioner().buildContext();
        }
        context.purge();
        context.setIArguments(spec.opArguments());
        context.setInputArrays(x, weightArray, biasArray);
        context.setOutputArrays(out);
        // libnd4j 1.0.0-M2.1 cannot create oneDNN primitives for dilation above 1 (see FastConvolutionLayer).
        context.allowHelpers(!spec.dilated());
        Nd4j.exec(new Conv2D(), context);
        Tensor shortcut = shortcut(inputs, out.shape());
        if (shortcut != null) {
            out.addi(shortcut.array());
        }
        if (activation == FusedActivation.RELU) {
            Transforms.relu(out, false);
        }
        return Tensor.of(out);
    }

    static double density(float[] values) {
        int nonZeros = 0;
        for (float v : values) {
            nonZeros += v != 0.0f ? 1 : 0;
        }
        return values.length == 0 ? 0.0 : (double) nonZeros / values.length;
    }
}
