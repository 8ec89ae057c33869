package org.rpg4j.sparse.kernel;

/**
 * The checked arguments of a compiled sparse convolution ({@link SparseConvolution}, {@link BatchedConvolution}):
 * the weights as CSR and a bias of one value per output channel.
 *
 * @param weights {@code [outChannels, inChannels * kh * kw]} as CSR
 * @param bias {@code [outChannels]}, zeros where none was given; a copy
 */
record ConvolutionArguments(CsrMatrix weights, float[] bias) {

    /**
     * @param shape the convolution's geometry
     * @param weights {@code [outChannels, inChannels, kh, kw]} row-major; not modified
     * @param bias {@code [outChannels]}, or null for none; not modified
     * @param activation applied on store; not null
     * @param threading how work is spread; not null
     * @param instructions scalar or Vector API loops; not null
     * @param blocking channel blocking; not null
     * @return the weights as CSR and the bias
     * @throws IllegalArgumentException if an argument is null or an array has the wrong length
     */
    static ConvolutionArguments of(ConvolutionShape shape, float[] weights, float[] bias, FusedActivation activation,
                                   KernelThreading threading, KernelInstructions instructions,
                                   ChannelBlocking blocking) {
        if (shape == null || activation == null || threading == null || instructions == null || blocking == null) {
            throw new IllegalArgumentException(
                    "shape, activation, threading, instructions and blocking must not be null");
        }
        if (bias != null && bias.length != shape.outChannels()) {
            throw new IllegalArgumentException("bias must have length outChannels = " + shape.outChannels()
                    + ", got " + bias.length);
        }
        CsrMatrix csr = CsrMatrix.fromDense(weights, shape.outChannels(), shape.patchSize());
        return new ConvolutionArguments(csr, bias == null ? new float[shape.outChannels()] : bias.clone());
    }
}
