package org.rpg4j.dl4j.deploy.runner;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.sparse.kernel.FusedActivation;
import org.rpg4j.sparse.kernel.SparseDense;

/**
 * A dense (or output) layer {@code y = act(x W + b)} on {@code x [batch, nIn]} (after the layer's
 * input preprocessor, if any): sparse via {@link SparseDense}, dense via ND4J's {@code mmul}. ReLU and
 * identity are fused into the sparse kernel; softmax on a Java result runs on the Java array (a classifier's output
 * layer: no copy into ND4J, no {@code dup} and op call for a few hundred values); any other activation (tanh, ...)
 * runs DL4J's {@link IActivation} on the result of either kernel.
 */
final class DenseStep extends CalibratedStep {

    private final InputPreProcessor preProcessor;
    private final SparseDense sparse;
    private final INDArray weightArray;
    private final INDArray biasRow;
    private final FusedActivation fused;
    private final IActivation activation;
    private final int outputs;
    private final int inputs;

    /**
     * @param name the layer name
     * @param preProcessor the layer's input preprocessor, or null
     * @param weightArray DL4J's {@code W [nIn, nOut]}; copied
     * @param biasArray DL4J's {@code b [1, nOut]} or null; copied
     * @param activation the layer's activation
     * @param options runner options
     */
    DenseStep(String name, InputPreProcessor preProcessor, INDArray weightArray, INDArray biasArray,
              IActivation activation, RunnerOptions options) {
        super(name, "dense " + weightArray.size(0) + "->" + weightArray.size(1) + " " + activation,
                ConvolutionStep.density(Tensor.toFloats(weightArray)), options, true);
        this.preProcessor = preProcessor;
        this.inputs = (int) weightArray.size(0);
        this.outputs = (int) weightArray.size(1);
        this.weightArray = weightArray.castTo(DataType.FLOAT).dup('c');
        this.biasRow = biasArray == null ? Nd4j.zeros(DataType.FLOAT, 1, outputs)
                : biasArray.castTo(DataType.FLOAT).reshape(1, outputs).dup('c');
        this.fused = FusableActivations.of(activation).orElse(FusedActivation.IDENTITY);
        this.activation = FusableActivations.of(activation).isPresent() ? null : activation;
        float[] transposed = Tensor.toFloats(this.weightArray.transpose());
        this.sparse = SparseDense.of(transposed, outputs, inputs, Tensor.toFloats(biasRow), fused,
                options.threading());
    }

    /**
     * Dense multiply-adds per call ({@code batch * nIn * nOut}) up to which the Java kernel runs without timing: there
     * ND4J's fixed cost per call (a native array for the input, the {@code mmul}, the bias and activation ops) exceeds
     * the work. VGG-19's output layer at batch 32 (164k multiply-adds): ND4J 1.0-1.2 ms, the Java kernel 0.09-0.11 ms
     * (one thread, fastest of 10 calls, docs/deployment.md session 11), and the calibration picked ND4J in 2 of 3
     * runs under load (its first Java runs not yet compiled).
     */
    static final long JAVA_MACS = 1L << 18;

    /** A layer of at most {@link #JAVA_MACS} dense multiply-adds per call runs the Java kernel untimed. */
    @Override
    String untimedSparse(int batch) {
        long macs = (long) batch * inputs * outputs;
        return macs <= JAVA_MACS ? "at most " + JAVA_MACS + " multiply-adds per call (" + macs + ")" : null;
    }

    @Override
    void checkInput(Tensor input) {
        long[] shape = input.shape();
        long features = 1;
        for (int i = 1; i < shape.length; i++) {
            features *= shape[i];
        }
        // a preprocessor other than CNN-to-dense (e.g. recurrent) reshapes differently: DL4J checks its input
        boolean flattened = preProcessor == null || preProcessor instanceof CnnToFeedForwardPreProcessor;
        if (flattened && (shape.length < 2 || features != inputs)) {
            throw new IllegalArgumentException("layer " + name() + " expects " + inputs + " features per example, got "
                    + "input shape " + java.util.Arrays.toString(shape));
        }
    }

    @Override
    Tensor runSparse(Tensor[] inputs) {
        Tensor x = preprocessed(inputs[0]);
        int batch = (int) x.size(0);
        float[] out = new float[batch * outputs];
        sparse.forward(x.floats(), batch, out);
        if (activation instanceof ActivationSoftmax) {
            softmaxRows(out, outputs);
            return Tensor.of(out, batch, outputs);
        }
        return finish(Tensor.of(out, batch, outputs));
    }

    /**
     * Softmax of each row of a row-major {@code [rows, columns]} array, in place, as DL4J's {@code softmax} op
     * computes it: the row's largest value subtracted before {@code exp} (no overflow), sums in double.
     *
     * @param values the rows; overwritten with their softmax
     * @param columns values per row, &ge; 1
     */
    static void softmaxRows(float[] values, int columns) {
        for (int row = 0; row < values.length; row += columns) {
            float max = Float.NEGATIVE_INFINITY;
            for (int c = row; c < row + columns; c++) {
                max = Math.max(max, values[c]);
            }
            double sum = 0.0;
            for (int c = row; c < row + columns; c++) {
                double e = Math.exp(values[c] - max);
                values[c] = (float) e;
                sum += e;
            }
            for (int c = row; c < row + columns; c++) {
                values[c] = (float) (values[c] / sum);
            }
        }
    }

    @Override
    Tensor runDense(Tensor[] inputs) {
        INDArray x = preprocessed(inputs[0]).array().castTo(DataType.FLOAT);
        INDArray z = x.mmul(weightArray).addiRowVector(biasRow);
        if (fused == FusedActivation.RELU) {
            org.nd4j.linalg.ops.transforms.Transforms.relu(z, false);
        }
        return finish(Tensor.of(z));
    }

    private Tensor preprocessed(Tensor input) {
        if (preProcessor == null) {
            return input;
        }
        if (flattensInPlace(input.shape())) {
            // NCHW flattened row-major is the same floats: no ND4J array, no preprocessor op (VGG-19's output layer
            // after the last pooling: 78-160 us per call at batch 1 before, 5-7 % of the shrunk network's time)
            return Tensor.of(input.floats(), input.size(0), input.length() / input.size(0));
        }
        return Tensor.of(preProcessor.preProcess(input.array(), (int) input.size(0),
                LayerWorkspaceMgr.noWorkspaces()));
    }

    /**
     * @param shape the step's input shape
     * @return true if the preprocessor is DL4J's NCHW CNN-to-dense flattening of exactly this input's channels,
     *     height and width, whose result is the input's row-major values as {@code [batch, c * h * w]}
     */
    boolean flattensInPlace(long[] shape) {
        return preProcessor instanceof CnnToFeedForwardPreProcessor cnn && cnn.getFormat() == CNN2DFormat.NCHW
                && shape.length == 4 && shape[1] == cnn.getNumChannels() && shape[2] == cnn.getInputHeight()
                && shape[3] == cnn.getInputWidth();
    }

    private Tensor finish(Tensor z) {
        if (activation == null) {
            return z;
        }
        return Tensor.of(activation.getActivation(z.array().dup(), false));
    }
}
