package org.rpg4j.dl4j.deploy.runner;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;

/**
 * DL4J's global pooling ({@code GlobalPoolingLayer} with AVG, MAX or SUM over every dimension after the
 * channels, no mask) on Java arrays: {@code [batch, c, h, w] -> [batch, c]} (also {@code [batch, c, t]}
 * and {@code [batch, c, d, h, w]}), or {@code [batch, c, 1, ...]} when the layer does not collapse
 * dimensions. Sums are accumulated in double.
 */
final class GlobalPoolingStep implements Step {

    private final String name;
    private final PoolingType type;
    private final boolean collapse;
    private final int[] dimensions;
    /** The runner's pool a Java copy of the input is taken from (handed back with the input), or null. */
    private ArrayPool pool;

    private GlobalPoolingStep(String name, PoolingType type, boolean collapse, int[] dimensions) {
        this.name = name;
        this.type = type;
        this.collapse = collapse;
        this.dimensions = dimensions;
    }

    /**
     * @param conf a layer configuration
     * @return true for a global pooling layer this step computes: AVG, MAX or SUM over the default
     *     dimensions or over {@code {2, ..., k}} given explicitly
     */
    static boolean accepts(org.deeplearning4j.nn.conf.layers.Layer conf) {
        if (!(conf instanceof GlobalPoolingLayer g)) {
            return false;
        }
        int[] dimensions = g.getPoolingDimensions();
        boolean trailing = dimensions == null || dimensions.length > 0 && Arrays.equals(dimensions,
                trailingDimensions(dimensions.length + 2));
        return trailing && (g.getPoolingType() == PoolingType.AVG || g.getPoolingType() == PoolingType.MAX
                || g.getPoolingType() == PoolingType.SUM);
    }

    /** @return {@code {2, ..., rank - 1}} */
    private static int[] trailingDimensions(int rank) {
        int[] dimensions = new int[rank - 2];
        for (int i = 0; i < dimensions.length; i++) {
            dimensions[i] = i + 2;
        }
        return dimensions;
    }

    /**
     * @param conf a layer {@link #accepts} accepts
     * @return the step
     */
    static GlobalPoolingStep of(GlobalPoolingLayer conf) {
        return new GlobalPoolingStep(conf.getLayerName(), conf.getPoolingType(), conf.isCollapseDimensions(),
                conf.getPoolingDimensions());
    }

    @Override
    public Tensor run(Tensor[] inputs) {
        long[] in = inputs[0].shape();
        if (in.length < 3 || dimensions != null && dimensions.length != in.length - 2) {
            throw new IllegalArgumentException("global pooling layer " + name + " pools dimensions "
                    + (dimensions == null ? "2.." : Arrays.toString(dimensions)) + " and expects input [batch, "
                    + "channels, ...] of rank " + (dimensions == null ? "3 to 5" : dimensions.length + 2)
                    + ", got " + Arrays.toString(in));
        }
        int maps = (int) (in[0] * in[1]);
        int plane = maps == 0 ? 0 : (int) (inputs[0].length() / maps);
        float[] y = new float[maps];
        if (inputs[0].onlyArray() && Tensor.rowMajor(inputs[0].array())) {
            // straight from the native buffer, one plane at a time: a Java copy of the whole value (1 MB for the
            // dense ResNet-56 at batch 64, a new array per call) cost 4 ms of a 72-ms call (session 13)
            FloatBuffer source = inputs[0].array().data().asNioFloat();
            float[] values = new float[plane];
            for (int m = 0; m < maps; m++) {
                source.get(m * plane, values, 0, plane);
                y[m] = reduce(values, 0, plane);
            }
        } else {
            float[] x = inputs[0].floats(pool);
            for (int m = 0; m < maps; m++) {
                y[m] = reduce(x, m * plane, plane);
            }
        }
        long[] out = collapse ? new long[] {in[0], in[1]} : new long[in.length];
        if (!collapse) {
            Arrays.fill(out, 1);
            out[0] = in[0];
            out[1] = in[1];
        }
        return Tensor.of(y, out);
    }

    private float reduce(float[] x, int from, int length) {
        if (type == PoolingType.MAX) {
            float max = Float.NEGATIVE_INFINITY;
            for (int i = from; i < from + length; i++) {
                max = Math.max(max, x[i]);
            }
            return max;
        }
        double sum = 0;
        for (int i = from; i < from + length; i++) {
            sum += x[i];
        }
        return (float) (type == PoolingType.AVG ? sum / length : sum);
    }

    @Override
    public void usePool(ArrayPool runnerPool) {
        this.pool = runnerPool;
    }

    /** @return true for average pooling over the whole plane to {@code [batch, channels]} */
    boolean averagesToRows() {
        return type == PoolingType.AVG && collapse;
    }

    @Override
    public List<LayerChoice> choices() {
        String operation = "global " + type.name().toLowerCase(java.util.Locale.ROOT) + " pool";
        return List.of(new LayerChoice(name, operation, Double.NaN, 0, Double.NaN, Double.NaN, KernelKind.JAVA));
    }
}
