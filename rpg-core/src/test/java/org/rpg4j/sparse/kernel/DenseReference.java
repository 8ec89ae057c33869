package org.rpg4j.sparse.kernel;

import java.util.Random;

/** Plain dense references (double accumulation) and seeded sparse data for the kernel tests. */
final class DenseReference {

    private DenseReference() {
    }

    /** Direct NCHW convolution by its definition, in double; out-of-range input positions are zero. */
    static float[] convolution(ConvolutionShape s, float[] w, float[] bias, float[] input, int batch, boolean relu) {
        float[] out = new float[batch * s.outputSize()];
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < s.outChannels(); o++) {
                for (int y = 0; y < s.outHeight(); y++) {
                    for (int x = 0; x < s.outWidth(); x++) {
                        double sum = bias == null ? 0 : bias[o];
                        for (int c = 0; c < s.inChannels(); c++) {
                            for (int ky = 0; ky < s.kernelHeight(); ky++) {
                                for (int kx = 0; kx < s.kernelWidth(); kx++) {
                                    int iy = y * s.strideHeight() + ky - s.padTop();
                                    int ix = x * s.strideWidth() + kx - s.padLeft();
                                    if (iy >= 0 && iy < s.inHeight() && ix >= 0 && ix < s.inWidth()) {
                                        sum += (double) w[((o * s.inChannels() + c) * s.kernelHeight() + ky)
                                                * s.kernelWidth() + kx]
                                                * input[((b * s.inChannels() + c) * s.inHeight() + iy) * s.inWidth()
                                                        + ix];
                                    }
                                }
                            }
                        }
                        out[((b * s.outChannels() + o) * s.outHeight() + y) * s.outWidth() + x] = (float) (relu ? Math
                                .max(0, sum) : sum);
                    }
                }
            }
        }
        return out;
    }

    /** {@code y[b, o] = sum_i w[o, i] x[b, i] + bias[o]} in double. */
    static float[] dense(float[] w, int outputs, int inputs, float[] bias, float[] x, int batch, boolean relu) {
        float[] y = new float[batch * outputs];
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < outputs; o++) {
                double sum = bias == null ? 0 : bias[o];
                for (int i = 0; i < inputs; i++) {
                    sum += (double) w[o * inputs + i] * x[b * inputs + i];
                }
                y[b * outputs + o] = (float) (relu ? Math.max(0, sum) : sum);
            }
        }
        return y;
    }

    /** N(0, 1) values with each entry zeroed with probability {@code sparsity}; row 0 is all zeros. */
    static float[] sparseWeights(Random random, int rows, int cols, double sparsity) {
        float[] w = new float[rows * cols];
        for (int i = cols; i < w.length; i++) {
            w[i] = random.nextDouble() < sparsity ? 0f : (float) random.nextGaussian();
        }
        return w;
    }

    /** N(0, 1) values. */
    static float[] gaussian(Random random, int length) {
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    /** Largest |a - b| relative to max(1, |b|). */
    static double maxError(float[] actual, float[] expected) {
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1.0, Math.abs(expected[i])));
        }
        return worst;
    }

    /**
     * A random layer shape: kernel 1..5 by 1..5, stride 1 (three in four) or 2, padding 0..k-1, sizes up to
     * 20, 1..12 input channels, truncate-mode output.
     *
     * @param random the source of the shape
     * @param maxOutChannels the largest number of output channels
     */
    static ConvolutionShape randomLayerShape(Random random, int maxOutChannels) {
        int kh = 1 + random.nextInt(5);
        int kw = random.nextBoolean() ? kh : 1 + random.nextInt(5);
        int stride = random.nextInt(4) == 0 ? 2 : 1;
        int ph = random.nextInt(kh);
        int pw = random.nextInt(kw);
        int h = kh + random.nextInt(16);
        int w = kw + random.nextInt(16);
        return new ConvolutionShape(1 + random.nextInt(12), h, w, 1 + random.nextInt(maxOutChannels), kh, kw, stride,
                stride, ph, pw, (h + 2 * ph - kh) / stride + 1, (w + 2 * pw - kw) / stride + 1);
    }
}
