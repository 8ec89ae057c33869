package org.rpg4j.sparse.kernel;

/**
 * One group of {@value InterleavedLayout#GROUP} images through an {@link InterleavedConvolution}: the scalar
 * loops ({@link ScalarInterleaved}) or the Vector API ones ({@code VectorInterleaved}, see
 * {@link KernelInstructions}). Pixel {@code (y, x)} of input channel {@code c} (in the convolution's padded
 * coordinates) is at {@code input[inputBase + c * inputChannel + y * inputRow + x * GROUP]}; output pixel
 * {@code (y, x)} of channel {@code o} at {@code output[outputBase + o * outputChannel + y * outputRow + x * GROUP]},
 * and the residual term, when present, at the same index as the output.
 */
interface InterleavedKernel {

    /**
     * Computes one group's output: bias, the convolution, the residual, the activation.
     *
     * @param conv the convolution (geometry, weights, bias, activation)
     * @param input the group's input, not modified
     * @param inputBase index of the padded input's pixel (0, 0) of channel 0
     * @param inputRow floats per input row
     * @param inputChannel floats per input channel
     * @param output modified: the group's output pixels (never its border)
     * @param outputBase index of the output's pixel (0, 0) of channel 0
     * @param outputRow floats per output row
     * @param outputChannel floats per output channel
     * @param residual null, or a term added before the activation, in the output's layout; not the output array
     */
    void group(InterleavedConvolution conv, float[] input, int inputBase, int inputRow, int inputChannel,
               float[] output, int outputBase, int outputRow, int outputChannel, float[] residual);

    /** @return true if this kernel runs at full speed on this CPU */
    default boolean fits() {
        return true;
    }
}
