package org.rpg4j.dl4j.layers;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.tensor.HostAccess;

/**
 * The inference-mode forward pass of {@link FastBatchNormalizationImpl}: {@code y = scale * x + shift} per
 * channel, {@code scale = gamma / sqrt(var + eps)}, {@code shift = beta - scale * mean}, with scale and shift
 * kept between calls.
 *
 * <p>The cache is keyed on the values it was computed from, not on events: every call reads gamma, beta
 * and the running statistics from host memory ({@code 4 c} floats, one bulk copy each) and the settings
 * ({@code eps}, ...), and recomputes scale and shift only when one of them differs bit for bit from the
 * values of the previous computation. So no change of the parameters can leave a stale scale, whatever
 * made it: an updater step, {@code setParams}, an in-place {@code assign} on a view, a pruning mask, a
 * restored checkpoint. Before, each call turned four parameter vectors into Java arrays through native
 * copies and ran a parallel stream even at batch 1 (160-380 us per call at batch 1, docs/structured.md).
 *
 * <p>Used only for float32 NCHW input, parameters and output in host memory ({@link #applicable}); the layer
 * keeps its general route for anything else. Not thread-safe, like the layer that owns it.
 */
final class BatchNormInference {

    /** Below this many elements the affine pass runs on the calling thread: forking costs more than it saves. */
    static final long SEQUENTIAL_ELEMENTS = 1L << 16;

    private float[] values = new float[0];
    private double[] settings = new double[0];
    private float[] reading = new float[0];
    private float[] scale;
    private float[] shift;
    private long computations;

    /**
     * @param x the layer's input
     * @param parameters the parameter vectors the map is computed from
     * @return true if the input is a contiguous float32 NCHW array and every parameter a contiguous float32
     *     vector, all in host memory
     */
    static boolean applicable(INDArray x, INDArray... parameters) {
        if (!ChannelKernels.applicable(x)) {
            return false;
        }
        for (INDArray p : parameters) {
            if (p.dataType() != DataType.FLOAT || !HostAccess.hostPointer(p) || !HostAccess.isCContiguous(p.shape(),
                    p.stride())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Computes {@code out = scale * x + shift}, recomputing scale and shift only if a parameter or a setting
     * changed since the previous call.
     *
     * @param x {@code [n, c, h, w]}, accepted by {@link #applicable}; not modified
     * @param parameters the vectors of length c the map depends on, in the order {@code map} reads them;
     *     not modified
     * @param currentSettings the configuration values the map depends on (compared too); not modified
     * @param map computes {@code {scale, shift}} (each of length c) from the parameters' values (same order,
     *     each {@code float[c]}) and the settings
     * @param out same shape as {@code x}, contiguous float32 on the host; overwritten
     */
    void apply(INDArray x, INDArray[] parameters, double[] currentSettings, ScaleShiftMap map, INDArray out) {
        readParameters(parameters);
        if (scale == null || !Arrays.equals(reading, values) || !Arrays.equals(currentSettings, settings)) {
            float[] previous = values;
            values = reading;
            reading = previous;
            settings = currentSettings.clone();
            float[][] computed = map.compute(split(values, parameters), settings);
            scale = computed[0];
            shift = computed[1];
            computations++;
        }
        int n = (int) x.size(0);
        int c = (int) x.size(1);
        int hw = (int) (x.size(2) * x.size(3));
        if (x.length() < SEQUENTIAL_ELEMENTS) {
            affineOnCaller(ChannelKernels.floats(x), ChannelKernels.floats(out), n, c, hw);
        } else {
            ChannelKernels.affine(ChannelKernels.floats(x), ChannelKernels.floats(out), n, c, hw, scale, shift);
        }
    }

    /** @return how many times scale and shift were computed (for tests: a cache hit computes nothing) */
    long computations() {
        return computations;
    }

    /** Scale and shift from parameter values and settings. */
    @FunctionalInterface
    interface ScaleShiftMap {
        /**
         * @param parameterValues one {@code float[c]} per parameter vector; not to be kept
         * @param settings the settings; not to be kept
         * @return {@code {scale, shift}}, each {@code float[c]}
         */
        float[][] compute(float[][] parameterValues, double[] settings);
    }

    private void readParameters(INDArray[] parameters) {
        int total = 0;
        for (INDArray p : parameters) {
            total += (int) p.length();
        }
        if (reading.length != total) {
            reading = new float[total];
        }
        int offset = 0;
        for (INDArray p : parameters) {
            int length = (int) p.length();
            ChannelKernels.floats(p).get(reading, offset, length);
            offset += length;
        }
    }

    private static float[][] split(float[] concatenated, INDArray[] parameters) {
        float[][] parts = new float[parameters.length][];
        int offset = 0;
        for (int i = 0; i < parameters.length; i++) {
            int length = (int) parameters[i].length();
            parts[i] = Arrays.copyOfRange(concatenated, offset, offset + length);
            offset += length;
        }
        return parts;
    }

    /** {@code out = scale[ch] * x + shift[ch]} on the calling thread, through one bulk copy in and one out. */
    private void affineOnCaller(FloatBuffer x, FloatBuffer out, int n, int c, int hw) {
        int length = n * c * hw;
        float[] data = InferenceScratch.floats(0, length);
        x.get(0, data, 0, length);
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                float a = scale[ch];
                float b = shift[ch];
                int base = (i * c + ch) * hw;
                for (int p = base; p < base + hw; p++) {
                    data[p] = a * data[p] + b;
                }
            }
        }
        out.put(0, data, 0, length);
    }
}
