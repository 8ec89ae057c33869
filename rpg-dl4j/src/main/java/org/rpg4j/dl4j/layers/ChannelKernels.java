package org.rpg4j.dl4j.layers;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.tensor.HostAccess;

/**
 * Per-channel loops of batch normalisation over the host memory of contiguous NCHW float32 arrays
 * {@code [n, c, h, w]}: each pass reads every element once, channels run in parallel (the common
 * fork-join pool and the calling thread). Channel {@code ch} of sample {@code i} is the contiguous
 * block of {@code h * w} floats starting at {@code (i * c + ch) * h * w}.
 *
 * <p>These replace chains of libnd4j ops that each make their own pass (and, for {@code moments},
 * a strided reduction): the forward pass reads the input twice and writes the output once, the
 * backward pass reads the output gradient and the input twice and writes the input gradient once.
 */
final class ChannelKernels {

    /** Independent accumulators per sum, so that the additions do not wait on each other. */
    private static final int LANES = 4;

    private ChannelKernels() {
    }

    /**
     * @param arrays arrays to read or write through their host memory
     * @return true if all are float32 NCHW {@code [n, c, h, w]}, contiguous in 'c' order (strides of
     *     size-1 axes aside), on ND4J's CPU backend ({@link HostAccess#hostPointer}), and small enough
     *     for a buffer
     */
    static boolean applicable(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a.rank() != 4 || a.dataType() != DataType.FLOAT || !HostAccess.isCContiguous(a.shape(), a.stride())
                    || a.length() > Integer.MAX_VALUE || !HostAccess.hostPointer(a)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param array an array {@link #applicable} accepts; the caller keeps it reachable while the
     *     buffer is used (the buffer does not own the memory)
     * @return its elements in 'c' order, position 0
     */
    static FloatBuffer floats(INDArray array) {
        long length = array.length();
        FloatPointer pointer = new FloatPointer(array.data().addressPointer());
        pointer.position(0).capacity(length).limit(length);
        return pointer.asBuffer();
    }

    /**
     * Per-channel sum and sum of squares (one pass), in double precision.
     *
     * @param x {@code [n, c, h, w]} as a buffer; not modified
     * @param n batch size
     * @param c channels
     * @param hw {@code h * w}
     * @param sums output {@code [c]}: {@code sum(x)}, overwritten
     * @param squares output {@code [c]}: {@code sum(x^2)}, overwritten
     */
    static void sumAndSquares(FloatBuffer x, int n, int c, int hw, double[] sums, double[] squares) {
        sumAndDot(x, x, n, c, hw, sums, squares);
    }

    /**
     * Per-channel {@code sum(a)} and {@code sum(a * b)} (one pass over both), in double precision.
     *
     * @param a {@code [n, c, h, w]} as a buffer; not modified
     * @param b the same shape; not modified
     * @param n batch size
     * @param c channels
     * @param hw {@code h * w}
     * @param sums output {@code [c]}: {@code sum(a)}, overwritten
     * @param dots output {@code [c]}: {@code sum(a * b)}, overwritten
     */
    static void sumAndDot(FloatBuffer a, FloatBuffer b, int n, int c, int hw, double[] sums, double[] dots) {
        int whole = hw - hw % LANES;
        IntStream.range(0, c).parallel().forEach(ch -> {
            // LANES = 4 independent accumulators per sum
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            double d0 = 0;
            double d1 = 0;
            double d2 = 0;
            double d3 = 0;
            for (int i = 0; i < n; i++) {
                int base = (i * c + ch) * hw;
                for (int p = base; p < base + whole; p += LANES) {
                    double v0 = a.get(p);
                    double v1 = a.get(p + 1);
                    double v2 = a.get(p + 2);
                    double v3 = a.get(p + 3);
                    s0 += v0;
                    s1 += v1;
                    s2 += v2;
                    s3 += v3;
                    d0 += v0 * b.get(p);
                    d1 += v1 * b.get(p + 1);
                    d2 += v2 * b.get(p + 2);
                    d3 += v3 * b.get(p + 3);
                }
                for (int p = base + whole; p < base + hw; p++) {
                    double v = a.get(p);
                    s0 += v;
                    d0 += v * b.get(p);
                }
            }
            sums[ch] = s0 + s1 + s2 + s3;
            dots[ch] = d0 + d1 + d2 + d3;
        });
    }

    /**
     * {@code out = scale[ch] * x + shift[ch]} per channel.
     *
     * @param x {@code [n, c, h, w]} as a buffer; not modified unless it is {@code out}
     * @param out the same shape, overwritten (may be {@code x})
     * @param n batch size
     * @param c channels
     * @param hw {@code h * w}
     * @param scale {@code [c]}
     * @param shift {@code [c]}
     */
    static void affine(FloatBuffer x, FloatBuffer out, int n, int c, int hw, float[] scale, float[] shift) {
        IntStream.range(0, c).parallel().forEach(ch -> {
            float a = scale[ch];
            float b = shift[ch];
            for (int i = 0; i < n; i++) {
                int base = (i * c + ch) * hw;
                for (int p = base; p < base + hw; p++) {
                    out.put(p, a * x.get(p) + b);
                }
            }
        });
    }

    /**
     * {@code out = max(scale[ch] * x + shift[ch], 0)} per channel: {@link #affine} followed by a ReLU, one pass.
     *
     * @param x {@code [n, c, h, w]} as a buffer; not modified unless it is {@code out}
     * @param out the same shape, overwritten (may be {@code x})
     * @param n batch size
     * @param c channels
     * @param hw {@code h * w}
     * @param scale {@code [c]}
     * @param shift {@code [c]}
     */
    static void affineRelu(FloatBuffer x, FloatBuffer out, int n, int c, int hw, float[] scale, float[] shift) {
        IntStream.range(0, c).parallel().forEach(ch -> {
            float a = scale[ch];
            float b = shift[ch];
            for (int i = 0; i < n; i++) {
                int base = (i * c + ch) * hw;
                for (int p = base; p < base + hw; p++) {
                    out.put(p, Math.max(a * x.get(p) + b, 0.0f));
                }
            }
        });
    }

    /**
     * {@code out = max(u + v, 0)}, element by element, in {@code blocks} contiguous ranges run in parallel.
     *
     * @param u the first summand; not modified
     * @param v the second, the same length; not modified
     * @param out the same length, overwritten (a third buffer)
     * @param length elements
     * @param blocks ranges to split the work into, at least 1
     */
    static void addRelu(FloatBuffer u, FloatBuffer v, FloatBuffer out, int length, int blocks) {
        IntStream.range(0, blocks).parallel().forEach(block -> {
            int from = (int) ((long) length * block / blocks);
            int to = (int) ((long) length * (block + 1) / blocks);
            for (int p = from; p < to; p++) {
                out.put(p, Math.max(u.get(p) + v.get(p), 0.0f));
            }
        });
    }

    /**
     * @param arrays arrays to read or write through their host memory
     * @return true if all are float32, 'c'-contiguous, on ND4J's CPU backend ({@link HostAccess#hostPointer}) and
     *     small enough for a buffer, whatever their rank
     */
    static boolean applicableFlat(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a == null || a.dataType() != DataType.FLOAT || !HostAccess.isCContiguous(a.shape(), a.stride())
                    || a.length() > Integer.MAX_VALUE || !HostAccess.hostPointer(a)) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code dx = y > 0 ? dy : 0}, element by element (a ReLU's backward pass from its input or output {@code y}), in
     * {@code blocks} contiguous ranges run in parallel.
     *
     * @param y the ReLU's input or output; not modified
     * @param dy the gradient of the ReLU's output, the same length; not modified
     * @param dx the same length, overwritten (a third buffer)
     * @param length elements
     * @param blocks ranges to split the work into, at least 1
     */
    static void reluBackward(FloatBuffer y, FloatBuffer dy, FloatBuffer dx, int length, int blocks) {
        IntStream.range(0, blocks).parallel().forEach(block -> {
            int from = (int) ((long) length * block / blocks);
            int to = (int) ((long) length * (block + 1) / blocks);
            for (int p = from; p < to; p++) {
                // y > 0 without a branch (half the elements are masked, in no pattern a predictor can follow): the
                // bits of y as an int lie in [1, 0x7f800000] exactly for +denormals, +normals and +infinity;
                // outside it (zeros, negatives, NaNs) one of the two differences is negative, and the mask is 0
                int bits = Float.floatToRawIntBits(y.get(p));
                int keep = ~(((bits - 1) | (0x7f800000 - bits)) >> 31);
                dx.put(p, Float.intBitsToFloat(Float.floatToRawIntBits(dy.get(p)) & keep));
            }
        });
    }

    /**
     * {@code out = a[ch] * u + b[ch] * v + k[ch]} per channel.
     *
     * @param u {@code [n, c, h, w]} as a buffer; not modified
     * @param v the same shape; not modified
     * @param out the same shape, overwritten (a third array)
     * @param n batch size
     * @param c channels
     * @param hw {@code h * w}
     * @param a {@code [c]}, factor of {@code u}
     * @param b {@code [c]}, factor of {@code v}
     * @param k {@code [c]}, constant
     */
    static void affine2(FloatBuffer u, FloatBuffer v, FloatBuffer out, int n, int c, int hw, float[] a, float[] b,
                        float[] k) {
        IntStream.range(0, c).parallel().forEach(ch -> {
            float fa = a[ch];
            float fb = b[ch];
            float fk = k[ch];
            for (int i = 0; i < n; i++) {
                int base = (i * c + ch) * hw;
                for (int p = base; p < base + hw; p++) {
                    out.put(p, fa * u.get(p) + fb * v.get(p) + fk);
                }
            }
        });
    }
}
