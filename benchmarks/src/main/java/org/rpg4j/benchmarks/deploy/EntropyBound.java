package org.rpg4j.benchmarks.deploy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.Deflater;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An entropy estimate of the smallest lossless float32 file of a pruned network, to compare the sparse
 * file against. Per parameter tensor (a weight tensor with zeros is "sparse", any other tensor "dense"):
 *
 * <ul>
 * <li>positions of a sparse tensor of n entries with k stored: {@code log2 C(n, k)} bits, the information
 * in which k of n entries are kept when every such set is equally likely (about
 * {@code n * H2(k / n)}, H2 the binary entropy: 4.7 bits per stored value at 90 % sparsity, 8.1 at 99 %);
 * <li>values (the stored ones, or all of a dense tensor): the empirical order-0 entropy of the float32
 * bit pattern split in its four bytes, most significant first: H(byte 0) + H(byte 1 | byte 0) per tensor,
 * H(byte 2) + H(byte 3) over all sparse (or all dense) tensors of the network together. Byte 0 is the
 * sign and 7 exponent bits, byte 1 the last exponent bit and 7 mantissa bits; conditioning byte 1 on byte
 * 0 captures the exponent's pull on the top mantissa bits (values of a bell-shaped distribution are
 * denser near its centre within one octave);
 * <li>the configuration JSON at its deflated size (DL4J's zip holds the same JSON).
 * </ul>
 *
 * <p>It bounds every coder that treats the stored values as independent draws from one distribution per
 * tensor and the mask as an unstructured set: for weights with no further structure (Gaussian or trained
 * weights, whose low mantissa bytes are close to uniform: H about 8 bits) no lossless coder does better.
 * It is an estimate, not a theorem: a coder could exploit structure this model ignores (correlated
 * neighbouring weights, whole empty filters), and empirical entropies of small tensors are biased low.
 */
final class EntropyBound {
    private EntropyBound() {}

    /**
     * Bits of one network, split by role.
     *
     * @param positions of the sparse tensors' stored entries
     * @param sparseValues of their values, {@code [byte 0, byte 1 | byte 0, bytes 2-3]}
     * @param denseValues of the dense tensors' values
     * @param configuration of the deflated configuration JSON
     * @param storedValues number of stored values of the sparse tensors
     */
    record Bits(double positions, double[] sparseValues, double denseValues, double configuration,
                long storedValues) {
        /** @return the bits of all sparse tensors' values */
        double sparseValueBits() {
            return sparseValues[0] + sparseValues[1] + sparseValues[2];
        }

        /** @return the total in bytes */
        double bytes() {
            return (positions + sparseValueBits() + denseValues + configuration) / 8;
        }
    }

    /**
     * @param net a network (not modified)
     * @return its entropy estimate
     */
    static Bits of(ComputationGraph net) {
        double positions = 0;
        double[] sparseValues = new double[3];
        double denseValues = 0;
        long stored = 0;
        // bytes 2-3 are pooled over the network (one model for the sparse tensors, one for the dense ones):
        // they do not depend on a tensor's scale, and a per-tensor empirical entropy of a small tensor is
        // biased low (at most log2(count) bits per byte)
        long[][] sparseLow = new long[2][256];
        long[][] denseLow = new long[2][256];
        long denseCount = 0;
        for (Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
            float[] values = e.getValue().dup('c').data().asFloat();
            float[] nonZero = nonZero(values);
            if (e.getKey().endsWith("_W") && nonZero.length < values.length) {
                positions += log2Binomial(values.length, nonZero.length);
                double[] bits = highBits(nonZero, sparseLow);
                sparseValues[0] += bits[0];
                sparseValues[1] += bits[1];
                stored += nonZero.length;
            } else {
                double[] bits = highBits(values, denseLow);
                denseValues += bits[0] + bits[1];
                denseCount += values.length;
            }
        }
        sparseValues[2] = stored * (entropy(sparseLow[0], stored) + entropy(sparseLow[1], stored));
        denseValues += denseCount * (entropy(denseLow[0], denseCount) + entropy(denseLow[1], denseCount));
        byte[] json = net.getConfiguration().toJson().getBytes(StandardCharsets.UTF_8);
        return new Bits(positions, sparseValues, denseValues, 8.0 * deflatedSize(json), stored);
    }

    /**
     * @param values the values of one tensor (not modified)
     * @param lowBytes counts of byte 2 ({@code [0]}) and byte 3 ({@code [1]}) values; incremented
     * @return the bits of the values' byte 0 and of byte 1 given byte 0, by the model of the class javadoc
     */
    static double[] highBits(float[] values, long[][] lowBytes) {
        int n = values.length;
        long[] plane0 = new long[256];
        long[] plane01 = new long[256 * 256];
        for (float v : values) {
            int bits = Float.floatToRawIntBits(v);
            plane0[bits >>> 24]++;
            plane01[bits >>> 16]++;
            lowBytes[0][(bits >>> 8) & 0xff]++;
            lowBytes[1][bits & 0xff]++;
        }
        // H(byte 1 | byte 0) = H(byte 0, byte 1) - H(byte 0)
        double h0 = entropy(plane0, n);
        return new double[] {n * h0, n * (entropy(plane01, n) - h0)};
    }

    /** @return {@code log2 C(n, k)} */
    static double log2Binomial(long n, long k) {
        double lnChoose = logFactorial(n) - logFactorial(k) - logFactorial(n - k);
        return lnChoose / Math.log(2);
    }

    private static double logFactorial(long n) {
        double sum = 0;
        if (n < 256) {
            for (long i = 2; i <= n; i++) {
                sum += Math.log(i);
            }
            return sum;
        }
        // Stirling's series: ln n! = n ln n - n + ln(2 pi n) / 2 + 1 / (12 n), error below 1e-9 for n >= 256
        double x = n;
        return x * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI * x) + 1 / (12 * x);
    }

    private static double entropy(long[] counts, long total) {
        double h = 0;
        for (long c : counts) {
            if (c > 0) {
                double p = (double) c / total;
                h -= p * Math.log(p);
            }
        }
        return h / Math.log(2);
    }

    private static float[] nonZero(float[] values) {
        int count = 0;
        for (float v : values) {
            count += v != 0.0f ? 1 : 0;
        }
        float[] out = new float[count];
        int at = 0;
        for (float v : values) {
            if (v != 0.0f) {
                out[at++] = v;
            }
        }
        return out;
    }

    private static int deflatedSize(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(data);
        deflater.finish();
        byte[] buffer = new byte[data.length + 64];
        int size = 0;
        while (!deflater.finished()) {
            size += deflater.deflate(buffer);
        }
        deflater.end();
        return size;
    }
}
