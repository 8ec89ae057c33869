package org.rpg4j.sparse.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API {@link InterleavedKernel} (module {@code jdk.incubator.vector}; loaded by
 * {@link KernelInstructions} only when the CPU's preferred vector holds 16 floats, AVX-512). One vector is one
 * pixel of the group's 16 images, so every load is aligned to the layout and no lane is wasted. Output
 * channels go in blocks of 5 ({@link InterleavedConvolution#BLOCK}) and output pixels in runs of 4 along a row:
 * 20 accumulators in registers, each loaded input vector feeding 5 of them per tap. For a 3x3 stride-1 kernel,
 * the 6 input pixels of one (input channel, kernel row) are loaded once and feed all three horizontal taps: 6
 * loads and 15 broadcasts for 60 fused multiply-adds. The last block of a row (and of the channels) overlaps
 * the one before it instead of a narrower tail; it recomputes the same values, so the output must not be the
 * residual.
 */
final class VectorInterleaved implements InterleavedKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int G = InterleavedLayout.GROUP;
    private static final int PIXELS = 4;

    @Override
    public boolean fits() {
        return FloatVector.SPECIES_PREFERRED.length() == G;
    }

    @Override
    public void group(InterleavedConvolution conv, float[] input, int inputBase, int inputRow, int inputChannel,
                      float[] output, int outputBase, int outputRow, int outputChannel, float[] residual) {
        ConvolutionShape s = conv.shape();
        int width = s.outWidth();
        boolean blocked = conv.blockWidth() == InterleavedConvolution.BLOCK && width >= PIXELS;
        boolean threeByThree = s.kernelHeight() == 3 && s.kernelWidth() == 3 && s.strideWidth() == 1;
        int[] taps = threeByThree ? null : taps(s, inputRow, inputChannel);
        for (int b = 0; b < conv.blocks(); b++) {
            int first = conv.blockStart(b);
            for (int y = 0; y < s.outHeight(); y++) {
                int in = inputBase + y * s.strideHeight() * inputRow;
                int o = outputBase + first * outputChannel + y * outputRow;
                if (!blocked) {
                    narrowRow(conv, first, input, in, inputRow, inputChannel, output, o, outputChannel, residual);
                    continue;
                }
                for (int x = 0; x < width; x += PIXELS) {
                    // the last run of four ends at the row's end, overlapping the one before it
                    int start = Math.min(x, width - PIXELS);
                    if (threeByThree) {
                        tile3(conv, b, input, in + start * G, inputRow, inputChannel, output, o + start * G,
                                outputChannel, residual);
                    } else {
                        tile(conv, b, taps, input, in + start * s.strideWidth() * G, output, o + start * G,
                                outputChannel, residual);
                    }
                }
            }
        }
    }

    /** 5 output channels by 4 pixels of a 3x3 stride-1 kernel: 6 loads feed the three horizontal taps. */
    private static void tile3(InterleavedConvolution conv, int block, float[] input, int in, int inputRow,
                              int inputChannel, float[] output, int o, int outputChannel, float[] residual) {
        int channels = conv.shape().inChannels();
        float[] w = conv.packed();
        float[] bias = conv.bias();
        boolean relu = conv.relu();
        int first = conv.blockStart(block);
        FloatVector zero = FloatVector.zero(S);
        FloatVector b0 = FloatVector.broadcast(S, bias[first + 0]);
        FloatVector b1 = FloatVector.broadcast(S, bias[first + 1]);
        FloatVector b2 = FloatVector.broadcast(S, bias[first + 2]);
        FloatVector b3 = FloatVector.broadcast(S, bias[first + 3]);
        FloatVector b4 = FloatVector.broadcast(S, bias[first + 4]);
        FloatVector a00 = b0, a01 = b0, a02 = b0, a03 = b0;
        FloatVector a10 = b1, a11 = b1, a12 = b1, a13 = b1;
        FloatVector a20 = b2, a21 = b2, a22 = b2, a23 = b2;
        FloatVector a30 = b3, a31 = b3, a32 = b3, a33 = b3;
        FloatVector a40 = b4, a41 = b4, a42 = b4, a43 = b4;
        int k = block * channels * 45;
        for (int c = 0; c < channels; c++) {
            for (int ky = 0; ky < 3; ky++, k += 15) {
                int r = in + c * inputChannel + ky * inputRow;
                FloatVector v0 = FloatVector.fromArray(S, input, r + 0 * G);
                FloatVector v1 = FloatVector.fromArray(S, input, r + 1 * G);
                FloatVector v2 = FloatVector.fromArray(S, input, r + 2 * G);
                FloatVector v3 = FloatVector.fromArray(S, input, r + 3 * G);
                FloatVector v4 = FloatVector.fromArray(S, input, r + 4 * G);
                FloatVector v5 = FloatVector.fromArray(S, input, r + 5 * G);
                FloatVector w00 = FloatVector.broadcast(S, w[k + 0]);
                a00 = v0.fma(w00, a00);
                a01 = v1.fma(w00, a01);
                a02 = v2.fma(w00, a02);
                a03 = v3.fma(w00, a03);
                FloatVector w10 = FloatVector.broadcast(S, w[k + 1]);
                a10 = v0.fma(w10, a10);
                a11 = v1.fma(w10, a11);
                a12 = v2.fma(w10, a12);
                a13 = v3.fma(w10, a13);
                FloatVector w20 = FloatVector.broadcast(S, w[k + 2]);
                a20 = v0.fma(w20, a20);
                a21 = v1.fma(w20, a21);
                a22 = v2.fma(w20, a22);
                a23 = v3.fma(w20, a23);
                FloatVector w30 = FloatVector.broadcast(S, w[k + 3]);
                a30 = v0.fma(w30, a30);
                a31 = v1.fma(w30, a31);
                a32 = v2.fma(w30, a32);
                a33 = v3.fma(w30, a33);
                FloatVector w40 = FloatVector.broadcast(S, w[k + 4]);
                a40 = v0.fma(w40, a40);
                a41 = v1.fma(w40, a41);
                a42 = v2.fma(w40, a42);
                a43 = v3.fma(w40, a43);
                FloatVector w01 = FloatVector.broadcast(S, w[k + 5]);
                a00 = v1.fma(w01, a00);
                a01 = v2.fma(w01, a01);
                a02 = v3.fma(w01, a02);
                a03 = v4.fma(w01, a03);
                FloatVector w11 = FloatVector.broadcast(S, w[k + 6]);
                a10 = v1.fma(w11, a10);
                a11 = v2.fma(w11, a11);
                a12 = v3.fma(w11, a12);
                a13 = v4.fma(w11, a13);
                FloatVector w21 = FloatVector.broadcast(S, w[k + 7]);
                a20 = v1.fma(w21, a20);
                a21 = v2.fma(w21, a21);
                a22 = v3.fma(w21, a22);
                a23 = v4.fma(w21, a23);
                FloatVector w31 = FloatVector.broadcast(S, w[k + 8]);
                a30 = v1.fma(w31, a30);
                a31 = v2.fma(w31, a31);
                a32 = v3.fma(w31, a32);
                a33 = v4.fma(w31, a33);
                FloatVector w41 = FloatVector.broadcast(S, w[k + 9]);
                a40 = v1.fma(w41, a40);
                a41 = v2.fma(w41, a41);
                a42 = v3.fma(w41, a42);
                a43 = v4.fma(w41, a43);
                FloatVector w02 = FloatVector.broadcast(S, w[k + 10]);
                a00 = v2.fma(w02, a00);
                a01 = v3.fma(w02, a01);
                a02 = v4.fma(w02, a02);
                a03 = v5.fma(w02, a03);
                FloatVector w12 = FloatVector.broadcast(S, w[k + 11]);
                a10 = v2.fma(w12, a10);
                a11 = v3.fma(w12, a11);
                a12 = v4.fma(w12, a12);
                a13 = v5.fma(w12, a13);
                FloatVector w22 = FloatVector.broadcast(S, w[k + 12]);
                a20 = v2.fma(w22, a20);
                a21 = v3.fma(w22, a21);
                a22 = v4.fma(w22, a22);
                a23 = v5.fma(w22, a23);
                FloatVector w32 = FloatVector.broadcast(S, w[k + 13]);
                a30 = v2.fma(w32, a30);
                a31 = v3.fma(w32, a31);
                a32 = v4.fma(w32, a32);
                a33 = v5.fma(w32, a33);
                FloatVector w42 = FloatVector.broadcast(S, w[k + 14]);
                a40 = v2.fma(w42, a40);
                a41 = v3.fma(w42, a41);
                a42 = v4.fma(w42, a42);
                a43 = v5.fma(w42, a43);
            }
        }
        // without a residual the ReLU is applied in the registers (1-8 % faster alone, measured); with one, the sums
        // are stored and finish() adds it and applies the ReLU from memory: with those in this method, C2 stopped
        // inlining the last intoArray calls in a whole network (this method is at its inlining budget) and boxed
        // every vector passed to them
        if (relu && residual == null) {
            a00 = a00.max(zero);
            a01 = a01.max(zero);
            a02 = a02.max(zero);
            a03 = a03.max(zero);
            a10 = a10.max(zero);
            a11 = a11.max(zero);
            a12 = a12.max(zero);
            a13 = a13.max(zero);
            a20 = a20.max(zero);
            a21 = a21.max(zero);
            a22 = a22.max(zero);
            a23 = a23.max(zero);
            a30 = a30.max(zero);
            a31 = a31.max(zero);
            a32 = a32.max(zero);
            a33 = a33.max(zero);
            a40 = a40.max(zero);
            a41 = a41.max(zero);
            a42 = a42.max(zero);
            a43 = a43.max(zero);
        }
        a00.intoArray(output, o + 0 * outputChannel + 0 * G);
        a01.intoArray(output, o + 0 * outputChannel + 1 * G);
        a02.intoArray(output, o + 0 * outputChannel + 2 * G);
        a03.intoArray(output, o + 0 * outputChannel + 3 * G);
        a10.intoArray(output, o + 1 * outputChannel + 0 * G);
        a11.intoArray(output, o + 1 * outputChannel + 1 * G);
        a12.intoArray(output, o + 1 * outputChannel + 2 * G);
        a13.intoArray(output, o + 1 * outputChannel + 3 * G);
        a20.intoArray(output, o + 2 * outputChannel + 0 * G);
        a21.intoArray(output, o + 2 * outputChannel + 1 * G);
        a22.intoArray(output, o + 2 * outputChannel + 2 * G);
        a23.intoArray(output, o + 2 * outputChannel + 3 * G);
        a30.intoArray(output, o + 3 * outputChannel + 0 * G);
        a31.intoArray(output, o + 3 * outputChannel + 1 * G);
        a32.intoArray(output, o + 3 * outputChannel + 2 * G);
        a33.intoArray(output, o + 3 * outputChannel + 3 * G);
        a40.intoArray(output, o + 4 * outputChannel + 0 * G);
        a41.intoArray(output, o + 4 * outputChannel + 1 * G);
        a42.intoArray(output, o + 4 * outputChannel + 2 * G);
        a43.intoArray(output, o + 4 * outputChannel + 3 * G);
        if (residual != null) {
            finish(output, o, outputChannel, residual, relu);
        }
    }

    /** 5 output channels by 4 pixels of any kernel and stride: per tap, 4 loads feed 20 multiply-adds. */
    private static void tile(InterleavedConvolution conv, int block, int[] taps, float[] input, int in,
                             float[] output, int o, int outputChannel, float[] residual) {
        ConvolutionShape s = conv.shape();
        int step = s.strideWidth() * G;
        float[] w = conv.packed();
        float[] bias = conv.bias();
        boolean relu = conv.relu();
        int first = conv.blockStart(block);
        FloatVector b0 = FloatVector.broadcast(S, bias[first + 0]);
        FloatVector b1 = FloatVector.broadcast(S, bias[first + 1]);
        FloatVector b2 = FloatVector.broadcast(S, bias[first + 2]);
        FloatVector b3 = FloatVector.broadcast(S, bias[first + 3]);
        FloatVector b4 = FloatVector.broadcast(S, bias[first + 4]);
        FloatVector a00 = b0, a01 = b0, a02 = b0, a03 = b0;
        FloatVector a10 = b1, a11 = b1, a12 = b1, a13 = b1;
        FloatVector a20 = b2, a21 = b2, a22 = b2, a23 = b2;
        FloatVector a30 = b3, a31 = b3, a32 = b3, a33 = b3;
        FloatVector a40 = b4, a41 = b4, a42 = b4, a43 = b4;
        int k = block * taps.length * 5;
        // one loop over the taps (offsets precomputed): with three nested loops C2 boxed the 20 accumulators
        for (int t = 0; t < taps.length; t++, k += 5) {
            int r = in + taps[t];
            FloatVector v0 = FloatVector.fromArray(S, input, r + 0 * step);
            FloatVector v1 = FloatVector.fromArray(S, input, r + 1 * step);
            FloatVector v2 = FloatVector.fromArray(S, input, r + 2 * step);
            FloatVector v3 = FloatVector.fromArray(S, input, r + 3 * step);
            FloatVector w0 = FloatVector.broadcast(S, w[k + 0]);
            a00 = v0.fma(w0, a00);
            a01 = v1.fma(w0, a01);
            a02 = v2.fma(w0, a02);
            a03 = v3.fma(w0, a03);
            FloatVector w1 = FloatVector.broadcast(S, w[k + 1]);
            a10 = v0.fma(w1, a10);
            a11 = v1.fma(w1, a11);
            a12 = v2.fma(w1, a12);
            a13 = v3.fma(w1, a13);
            FloatVector w2 = FloatVector.broadcast(S, w[k + 2]);
            a20 = v0.fma(w2, a20);
            a21 = v1.fma(w2, a21);
            a22 = v2.fma(w2, a22);
            a23 = v3.fma(w2, a23);
            FloatVector w3 = FloatVector.broadcast(S, w[k + 3]);
            a30 = v0.fma(w3, a30);
            a31 = v1.fma(w3, a31);
            a32 = v2.fma(w3, a32);
            a33 = v3.fma(w3, a33);
            FloatVector w4 = FloatVector.broadcast(S, w[k + 4]);
            a40 = v0.fma(w4, a40);
            a41 = v1.fma(w4, a41);
            a42 = v2.fma(w4, a42);
            a43 = v3.fma(w4, a43);
        }
        // the raw sums are stored, then finish() adds the residual and applies the ReLU from memory: with those
        // in this method, C2 stopped inlining the last intoArray calls in a whole network (this method is at its
        // inlining budget) and boxed every vector passed to them
        a00.intoArray(output, o + 0 * outputChannel + 0 * G);
        a01.intoArray(output, o + 0 * outputChannel + 1 * G);
        a02.intoArray(output, o + 0 * outputChannel + 2 * G);
        a03.intoArray(output, o + 0 * outputChannel + 3 * G);
        a10.intoArray(output, o + 1 * outputChannel + 0 * G);
        a11.intoArray(output, o + 1 * outputChannel + 1 * G);
        a12.intoArray(output, o + 1 * outputChannel + 2 * G);
        a13.intoArray(output, o + 1 * outputChannel + 3 * G);
        a20.intoArray(output, o + 2 * outputChannel + 0 * G);
        a21.intoArray(output, o + 2 * outputChannel + 1 * G);
        a22.intoArray(output, o + 2 * outputChannel + 2 * G);
        a23.intoArray(output, o + 2 * outputChannel + 3 * G);
        a30.intoArray(output, o + 3 * outputChannel + 0 * G);
        a31.intoArray(output, o + 3 * outputChannel + 1 * G);
        a32.intoArray(output, o + 3 * outputChannel + 2 * G);
        a33.intoArray(output, o + 3 * outputChannel + 3 * G);
        a40.intoArray(output, o + 4 * outputChannel + 0 * G);
        a41.intoArray(output, o + 4 * outputChannel + 1 * G);
        a42.intoArray(output, o + 4 * outputChannel + 2 * G);
        a43.intoArray(output, o + 4 * outputChannel + 3 * G);
        if (residual != null || relu) {
            finish(output, o, outputChannel, residual, relu);
        }
    }

    /** One output row, one channel and one pixel at a time: fewer than 5 output channels or 4 pixels. */
    private static void narrowRow(InterleavedConvolution conv, int first, float[] input, int in, int inputRow,
                                  int inputChannel, float[] output, int o, int outputChannel, float[] residual) {
        ConvolutionShape s = conv.shape();
        float[] w = conv.weights();
        int patch = s.patchSize();
        for (int j = 0; j < conv.blockWidth(); j++) {
            int channel = first + j;
            for (int x = 0; x < s.outWidth(); x++) {
                FloatVector a = FloatVector.broadcast(S, conv.bias()[channel]);
                int k = channel * patch;
                for (int c = 0; c < s.inChannels(); c++) {
                    for (int ky = 0; ky < s.kernelHeight(); ky++) {
                        int r = in + c * inputChannel + ky * inputRow + x * s.strideWidth() * G;
                        for (int kx = 0; kx < s.kernelWidth(); kx++, k++) {
                            a = FloatVector.fromArray(S, input, r + kx * G).fma(FloatVector.broadcast(S, w[k]), a);
                        }
                    }
                }
                store(a, output, o + j * outputChannel + x * G, residual, conv.relu());
            }
        }
    }

    /** @return each tap's input offset, in the packed weights' order {@code [channel][ky][kx]} */
    private static int[] taps(ConvolutionShape s, int inputRow, int inputChannel) {
        int[] taps = new int[s.patchSize()];
        int t = 0;
        for (int c = 0; c < s.inChannels(); c++) {
            for (int ky = 0; ky < s.kernelHeight(); ky++) {
                for (int kx = 0; kx < s.kernelWidth(); kx++) {
                    taps[t++] = c * inputChannel + ky * inputRow + kx * G;
                }
            }
        }
        return taps;
    }

    /** Adds the residual to and applies the ReLU to a stored block of 5 channels by 4 pixels. */
    private static void finish(float[] output, int o, int outputChannel, float[] residual, boolean relu) {
        for (int j = 0; j < InterleavedConvolution.BLOCK; j++) {
            for (int p = 0; p < PIXELS; p++) {
                int index = o + j * outputChannel + p * G;
                FloatVector value = FloatVector.fromArray(S, output, index);
                if (residual != null) {
                    value = value.add(FloatVector.fromArray(S, residual, index));
                }
                if (relu) {
                    value = value.lanewise(VectorOperators.MAX, 0.0f);
                }
                value.intoArray(output, index);
            }
        }
    }

    private static void store(FloatVector sum, float[] output, int index, float[] residual, boolean relu) {
        FloatVector value = residual == null ? sum : sum.add(FloatVector.fromArray(S, residual, index));
        if (relu) {
            value = value.lanewise(VectorOperators.MAX, 0.0f);
        }
        value.intoArray(output, index);
    }
}
