package org.rpg4j.dl4j.layers;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.reduce.same.Sum;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.tensor.HostAccess;

/**
 * The libnd4j ops batch normalisation is built from, on NCHW {@code [n, c, h, w]} or dense
 * {@code [n, c]} arrays with per-channel vectors of shape {@code [c]}. Every pass over the data is a
 * single native op; DL4J's broadcast ops along the channel axis of NCHW arrays are avoided, as they
 * are several times slower than one {@code batchnorm} op on this backend.
 */
final class BatchNormOps {

    private static final int[] DENSE_REDUCTION = {0};
    private static final int[] NCHW_REDUCTION = {0, 2, 3};
    private static final int CHANNEL_AXIS = 1;

    private BatchNormOps() {
    }

    /**
     * @param x {@code [n, c, h, w]} or {@code [n, c]}
     * @return the axes that are reduced to per-channel values: all but the channel axis
     */
    static int[] reductionAxes(INDArray x) {
        return x.rank() == 2 ? DENSE_REDUCTION : NCHW_REDUCTION;
    }

    /**
     * Batch mean and biased variance per channel (libnd4j {@code moments}).
     *
     * @param x {@code [n, c, h, w]} or {@code [n, c]}; not modified
     * @param mean output {@code [c]}, overwritten
     * @param variance output {@code [c]}, overwritten: {@code mean((x - mean)^2)}
     */
    static void moments(INDArray x, INDArray mean, INDArray variance) {
        Nd4j.exec(DynamicCustomOp.builder("moments").addInputs(x).addOutputs(mean, variance)
                .addIntegerArguments(reductionAxes(x)).build());
    }

    /**
     * {@code out = gamma * (x - mean) / sqrt(variance + eps) + beta}, per channel (libnd4j
     * {@code batchnorm}, inference form); {@code out} may be {@code x}.
     *
     * @param x {@code [n, c, h, w]} or {@code [n, c]}; not modified unless it is {@code out}
     * @param mean {@code [c]}
     * @param variance {@code [c]}
     * @param gamma {@code [c]}
     * @param beta {@code [c]}
     * @param eps added to the variance, &ge; 0
     * @param out same shape as {@code x}, overwritten
     */
    static void normalize(INDArray x, INDArray mean, INDArray variance, INDArray gamma, INDArray beta,
                          double eps, INDArray out) {
        Nd4j.exec(DynamicCustomOp.builder("batchnorm").addInputs(x, mean, variance, gamma, beta)
                .addOutputs(out).addIntegerArguments(1, 1, CHANNEL_AXIS).addFloatingPointArguments(eps)
                .build());
    }

    /**
     * Per-channel sums {@code sum(a)} and {@code sum(a * b)} over all axes but the channel axis.
     *
     * @param a {@code [n, c, h, w]} or {@code [n, c]}; not modified
     * @param b same shape as {@code a}; not modified
     * @return {@code {sum(a), sum(a * b)}}, each of length c, in double precision
     */
    static double[][] sumAndDot(INDArray a, INDArray b) {
        int[] axes = reductionAxes(a);
        INDArray sum = Nd4j.exec(new Sum(a, axes));
        INDArray dot = Nd4j.exec(new Dot(a, b, axes));
        return new double[][] {sum.toDoubleVector(), dot.toDoubleVector()};
    }

    /**
     * @param vector a per-channel vector {@code [c]} (any shape of c elements); not modified
     * @return its values; a float32 'c'-contiguous host array is read directly (no {@code dup} op, which a
     *     training step would otherwise run about 6 times per batch norm layer)
     */
    static double[] values(INDArray vector) {
        if (!hostFloats(vector)) {
            return vector.toDoubleVector();
        }
        FloatBuffer floats = ChannelKernels.floats(vector);
        double[] values = new double[(int) vector.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = floats.get(i);
        }
        return values;
    }

    /**
     * {@code view = values}, rounded to the view's data type.
     *
     * @param values c values
     * @param view a per-channel array of c elements; overwritten (a float32 'c'-contiguous host array directly,
     *     others through a new array and an {@code assign} op)
     */
    static void write(double[] values, INDArray view) {
        if (!hostFloats(view) || view.length() != values.length) {
            view.assign(vector(values, view.dataType()).reshape(view.shape()));
            return;
        }
        FloatBuffer floats = ChannelKernels.floats(view);
        for (int i = 0; i < values.length; i++) {
            floats.put(i, (float) values[i]);
        }
    }

    private static boolean hostFloats(INDArray a) {
        return a.dataType() == DataType.FLOAT && a.length() <= Integer.MAX_VALUE
                && HostAccess.isCContiguous(a.shape(), a.stride()) && HostAccess.hostPointer(a);
    }

    /**
     * @param values per-channel values
     * @param dataType the data type of the result
     * @return a new {@code [c]} array in the current workspace, if any
     */
    static INDArray vector(double[] values, DataType dataType) {
        return Nd4j.createFromArray(values).castTo(dataType);
    }

    /**
     * @param value the value of every element
     * @param length c
     * @param dataType the data type of the result
     * @return a new {@code [c]} array in the current workspace, if any
     */
    static INDArray constant(double value, long length, DataType dataType) {
        return Nd4j.valueArrayOf(new long[] {length}, value, dataType);
    }
}
