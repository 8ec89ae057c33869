package org.rpg4j.sparse.kernel;

/**
 * A fully connected layer {@code y = activation(W x + b)} with sparse {@code W [outputs, inputs]} on a
 * dense batch {@code x [batch, inputs]}, for inference. One input is a gather per output row; a batch
 * is transposed once to {@code [inputs, batch]} so that each non-zero multiplies a contiguous run of
 * {@code batch} values. Immutable and thread-safe.
 */
public final class SparseDense {

    private static final int ROW_BLOCKS = 8;

    private final int inputs;
    private final int outputs;
    private final CsrMatrix weights;
    private final int[] rowStart;
    private final int[] columns;
    private final float[] values;
    private final float[] bias;
    private final FusedActivation activation;
    private final KernelThreading threading;
    private final RowKernel kernel;

    private SparseDense(CsrMatrix weights, float[] bias, FusedActivation activation, KernelThreading threading,
                        RowKernel kernel) {
        this.inputs = weights.cols();
        this.outputs = weights.rows();
        this.weights = weights;
        this.rowStart = weights.rowStarts();
        this.columns = weights.columns();
        this.values = weights.values();
        this.bias = bias;
        this.activation = activation;
        this.threading = threading;
        this.kernel = kernel;
    }

    /**
     * @param weights {@code [outputs, inputs]} row-major; not modified (zeros are skipped)
     * @param outputs number of outputs, &ge; 1
     * @param inputs number of inputs, &ge; 1
     * @param bias {@code [outputs]}, or null for none; not modified
     * @param activation applied to each output before it is stored
     * @param threading how blocks of outputs are spread over threads
     * @return the compiled layer, with {@link KernelInstructions#best()}
     * @throws IllegalArgumentException if a size is below 1, an array has the wrong length or an
     *     argument is null
     */
    public static SparseDense of(float[] weights, int outputs, int inputs, float[] bias, FusedActivation activation,
                                 KernelThreading threading) {
        return of(weights, outputs, inputs, bias, activation, threading, KernelInstructions.best());
    }

    /**
     * @param weights {@code [outputs, inputs]} row-major; not modified (zeros are skipped)
     * @param outputs number of outputs, &ge; 1
     * @param inputs number of inputs, &ge; 1
     * @param bias {@code [outputs]}, or null for none; not modified
     * @param activation applied to each output before it is stored
     * @param threading how blocks of outputs are spread over threads
     * @param instructions scalar or Vector API inner loop (batches above 1)
     * @return the compiled layer
     * @throws IllegalArgumentException if a size is below 1, an array has the wrong length, an
     *     argument is null, or the instructions are not available in this JVM
     */
    public static SparseDense of(float[] weights, int outputs, int inputs, float[] bias, FusedActivation activation,
                                 KernelThreading threading, KernelInstructions instructions) {
        if (outputs < 1 || inputs < 1) {
            throw new IllegalArgumentException("outputs and inputs must be >= 1, got outputs=" + outputs
                    + ", inputs=" + inputs);
        }
        if (activation == null || threading == null || instructions == null) {
            throw new IllegalArgumentException("activation, threading and instructions must not be null");
        }
        if (bias != null && bias.length != outputs) {
            throw new IllegalArgumentException("bias must have length outputs = " + outputs + ", got " + bias.length);
        }
        CsrMatrix csr = CsrMatrix.fromDense(weights, outputs, inputs);
        return new SparseDense(csr, bias == null ? new float[outputs] : bias.clone(), activation, threading,
                instructions.kernel());
    }

    /** @return the weights as CSR {@code [outputs, inputs]} */
    public CsrMatrix weights() {
        return weights;
    }

    /**
     * @param input {@code [batch, inputs]} row-major; not modified
     * @param batch number of rows, &ge; 1
     * @param output {@code [batch, outputs]} row-major; overwritten
     * @throws IllegalArgumentException if the batch is below 1 or an array has the wrong length
     */
    public void forward(float[] input, int batch, float[] output) {
        checkArrays(input, batch, output);
        long work = (long) batch * values.length;
        int blocks = Math.min(ROW_BLOCKS, outputs);
        if (batch == 1) {
            threading.run(blocks, work, block -> gather(input, output, block * outputs / blocks,
                    (block + 1) * outputs / blocks));
            return;
        }
        float[] transposed = new float[inputs * batch];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < inputs; i++) {
                transposed[i * batch + b] = input[b * inputs + i];
            }
        }
        int[] offsets = new int[columns.length];
        for (int k = 0; k < columns.length; k++) {
            offsets[k] = columns[k] * batch;
        }
        threading.run(blocks, work, block -> {
            float[] acc = new float[batch];
            for (int o = block * outputs / blocks; o < (block + 1) * outputs / blocks; o++) {
                kernel.row(values, offsets, rowStart[o], rowStart[o + 1], transposed, 0, bias[o], acc, 0, batch);
                activation.applyInPlace(acc, 0, batch);
                for (int b = 0; b < batch; b++) {
                    output[b * outputs + o] = acc[b];
                }
            }
        });
    }

    private void gather(float[] input, float[] output, int from, int to) {
        for (int o = from; o < to; o++) {
            float sum = bias[o];
            for (int k = rowStart[o]; k < rowStart[o + 1]; k++) {
                sum += values[k] * input[columns[k]];
            }
            output[o] = sum;
        }
        activation.applyInPlace(output, from, to - from);
    }

    private void checkArrays(float[] input, int batch, float[] output) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        if (input == null || input.length != (long) batch * inputs) {
            throw new IllegalArgumentException("input must have length batch * inputs = " + ((long) batch * inputs)
                    + ", got " + (input == null ? "null" : input.length));
        }
        if (output == null || output.length != (long) batch * outputs) {
            throw new IllegalArgumentException("output must have length batch * outputs = "
                    + ((long) batch * outputs) + ", got " + (output == null ? "null" : output.length));
        }
    }
}
