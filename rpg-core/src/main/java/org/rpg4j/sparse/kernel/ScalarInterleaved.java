package org.rpg4j.sparse.kernel;

import java.util.Arrays;

/** The plain-loop {@link InterleavedKernel}: the definition of the convolution, one output value at a time. */
final class ScalarInterleaved implements InterleavedKernel {

    private static final int G = InterleavedLayout.GROUP;

    @Override
    public void group(InterleavedConvolution conv, float[] input, int inputBase, int inputRow, int inputChannel,
                      float[] output, int outputBase, int outputRow, int outputChannel, float[] residual) {
        ConvolutionShape s = conv.shape();
        float[] weights = conv.weights();
        float[] sums = new float[G];
        for (int o = 0; o < s.outChannels(); o++) {
            for (int y = 0; y < s.outHeight(); y++) {
                for (int x = 0; x < s.outWidth(); x++) {
                    Arrays.fill(sums, conv.bias()[o]);
                    for (int c = 0; c < s.inChannels(); c++) {
                        for (int ky = 0; ky < s.kernelHeight(); ky++) {
                            for (int kx = 0; kx < s.kernelWidth(); kx++) {
                                float w = weights[((o * s.inChannels() + c) * s.kernelHeight() + ky)
                                        * s.kernelWidth() + kx];
                                int from = inputBase + c * inputChannel + (y * s.strideHeight() + ky) * inputRow
                                        + (x * s.strideWidth() + kx) * G;
                                for (int lane = 0; lane < G; lane++) {
                                    sums[lane] += w * input[from + lane];
                                }
                            }
                        }
                    }
                    int to = outputBase + o * outputChannel + y * outputRow + x * G;
                    for (int lane = 0; lane < G; lane++) {
                        float value = sums[lane] + (residual == null ? 0.0f : residual[to + lane]);
                        output[to + lane] = conv.relu() ? Math.max(value, 0.0f) : value;
                    }
                }
            }
        }
    }
}
