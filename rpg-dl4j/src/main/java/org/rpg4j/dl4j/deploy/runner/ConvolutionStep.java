package org.rpg4j.dl4j.deploy.runner;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.rpg4j.sparse.kernel.ConvolutionShape;
import org.rpg4j.sparse.kernel.FusedActivation;
import org.rpg4j.sparse.kernel.SparseConvolution;

/**
 * A 2-D convolution (batch norm already folded into its weights and bias, ReLU or identity fused),
 * on NCHW input {@code [batch, in, h, w]}: sparse via {@link SparseConvolution}, dense via libnd4j's
 * {@code conv2d} op (oneDNN with the {@code -onednn} classifier) with the same folded weights.
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
    private OpContext context;

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
        super(name, spec + fusedSuffix, density(weights), options, !spec.dilated());
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
    Tensor runSparse(Tensor input) {
        long height = input.size(2);
        long width = input.size(3);
        SparseConvolution conv = sparseBySize.computeIfAbsent(height << 32 | width, key -> SparseConvolution.of(
                spec.shape(height, width), weights, bias, activation, options.threading()));
        ConvolutionShape shape = conv.shape();
        int batch = (int) input.size(0);
        float[] out = new float[batch * shape.outputSize()];
        conv.forward(input.floats(), batch, out);
        return Tensor.of(out, batch, shape.outChannels(), shape.outHeight(), shape.outWidth());
    }

    @Override
    Tensor runDense(Tensor input) {
        INDArray x = input.array();
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
