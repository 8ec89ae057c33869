package org.rpg4j.dl4j.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The passes over the data that batch normalisation makes, each taking one of two routes with the
 * same results (to float32 rounding): {@link ChannelKernels} (one pass each over the host memory)
 * for contiguous NCHW float32 arrays on ND4J's CPU backend, otherwise {@link BatchNormOps}
 * (libnd4j ops; dense {@code [n, c]} inputs, other data types, other backends). Per-channel values
 * are {@code double[c]}.
 */
final class BatchNormPasses {

    private BatchNormPasses() {
    }

    /**
     * @param x {@code [n, c, h, w]} or {@code [n, c]}, contiguous; not modified
     * @return {@code {mean, variance}} per channel, the variance biased (divided by the count)
     */
    static double[][] statistics(INDArray x) {
        int c = (int) x.size(1);
        if (ChannelKernels.applicable(x)) {
            double count = (double) x.length() / c;
            double[] mean = new double[c];
            double[] variance = new double[c];
            ChannelKernels.sumAndDot(ChannelKernels.floats(x), ChannelKernels.floats(x), (int) x.size(0), c,
                    spatial(x), mean, variance);
            for (int ch = 0; ch < c; ch++) {
                mean[ch] /= count;
                // E[x^2] - E[x]^2 from double sums; clamped at 0 against rounding for a constant channel
                variance[ch] = Math.max(variance[ch] / count - mean[ch] * mean[ch], 0.0);
            }
            return new double[][] {mean, variance};
        }
        INDArray mean = Nd4j.createUninitialized(x.dataType(), c);
        INDArray variance = Nd4j.createUninitialized(x.dataType(), c);
        BatchNormOps.moments(x, mean, variance);
        return new double[][] {mean.toDoubleVector(), variance.toDoubleVector()};
    }

    /**
     * {@code out = scale * x + shift} per channel.
     *
     * @param x {@code [n, c, h, w]} or {@code [n, c]}, contiguous; not modified
     * @param scale {@code [c]}
     * @param shift {@code [c]}
     * @param out same shape as {@code x}, contiguous, overwritten
     */
    static void affine(INDArray x, double[] scale, double[] shift, INDArray out) {
        if (ChannelKernels.applicable(x, out)) {
            ChannelKernels.affine(ChannelKernels.floats(x), ChannelKernels.floats(out), (int) x.size(0),
                    scale.length, spatial(x), floats(scale), floats(shift));
            return;
        }
        // the batchnorm op with mean 0, variance 1 and eps 0 is exactly the per-channel affine map
        DataType type = x.dataType();
        int c = scale.length;
        INDArray zeros = BatchNormOps.constant(0.0, c, type);
        BatchNormOps.normalize(x, zeros, BatchNormOps.constant(1.0, c, type), BatchNormOps.vector(scale, type),
                BatchNormOps.vector(shift, type), 0.0, out);
    }

    /**
     * {@code out = max(scale * x + shift, 0)} per channel: {@link #affine} and a ReLU in one pass on the Java-loop
     * route, the affine ops and an in-place {@code relu} op otherwise.
     *
     * @param x {@code [n, c, h, w]} or {@code [n, c]}, contiguous; not modified
     * @param scale {@code [c]}
     * @param shift {@code [c]}
     * @param out same shape as {@code x}, contiguous, a second array; overwritten
     */
    static void affineRelu(INDArray x, double[] scale, double[] shift, INDArray out) {
        if (ChannelKernels.applicable(x, out)) {
            ChannelKernels.affineRelu(ChannelKernels.floats(x), ChannelKernels.floats(out), (int) x.size(0),
                    scale.length, spatial(x), floats(scale), floats(shift));
            return;
        }
        affine(x, scale, shift, out);
        ReluFusion.rectifyInPlace(out);
    }

    /**
     * @param a {@code [n, c, h, w]} or {@code [n, c]}, contiguous; not modified
     * @param b same shape; not modified
     * @return {@code {sum(a), sum(a * b)}} per channel
     */
    static double[][] sumAndDot(INDArray a, INDArray b) {
        if (ChannelKernels.applicable(a, b)) {
            int c = (int) a.size(1);
            double[] sums = new double[c];
            double[] dots = new double[c];
            ChannelKernels.sumAndDot(ChannelKernels.floats(a), ChannelKernels.floats(b), (int) a.size(0), c,
                    spatial(a), sums, dots);
            return new double[][] {sums, dots};
        }
        return BatchNormOps.sumAndDot(a, b);
    }

    /**
     * {@code out = a * u + b * v + k} per channel.
     *
     * @param u {@code [n, c, h, w]} or {@code [n, c]}, contiguous; not modified
     * @param v same shape; not modified
     * @param a {@code [c]}
     * @param b {@code [c]}
     * @param k {@code [c]}
     * @param out same shape, contiguous, a third array; overwritten
     */
    static void affine2(INDArray u, INDArray v, double[] a, double[] b, double[] k, INDArray out) {
        if (ChannelKernels.applicable(u, v, out)) {
            ChannelKernels.affine2(ChannelKernels.floats(u), ChannelKernels.floats(v), ChannelKernels.floats(out),
                    (int) u.size(0), a.length, spatial(u), floats(a), floats(b), floats(k));
            return;
        }
        affine(v, b, k, out);
        INDArray scaledU = u.ulike();
        affine(u, a, new double[a.length], scaledU);
        out.addi(scaledU);
    }

    private static int spatial(INDArray x) {
        return (int) (x.size(2) * x.size(3));
    }

    private static float[] floats(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }
}
