package org.rpg4j.structured;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.custom.Lstsq;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The least-squares side of Channel Pruning (He et al., ICCV 2017, eq. 1 and the "reconstruction"
 * step): on sampled input patches {@code X [N, C*kh*kw]} of a convolution with weights
 * {@code W [out, C, kh, kw]}, the per-channel contributions {@code Z_c = X_c W_c} to its output
 * {@code Y = X W^T}, their Gram matrix for {@link ChannelLasso}, and the refit of the weights of the
 * kept channels that best reproduces {@code Y}. All products are ND4J matrix operations in double
 * precision; the refit is libnd4j's {@code lstsq} on the sample.
 */
public final class ChannelReconstruction {
    /** Ridge added to the least-squares normal equations, relative to their mean diagonal. */
    public static final double RIDGE = 1e-8;

    private ChannelReconstruction() {}

    /**
     * The refitted weights of the kept input channels.
     *
     * @param weights {@code [out, kept, kh, kw]}, the kept channels in their original order
     * @param biasShift {@code [out]} to add to the layer's bias: the fitted intercept, which absorbs
     *     the mean contribution of the removed channels
     */
    public record Refit(INDArray weights, INDArray biasShift) {}

    /**
     * @param patches sampled input patches {@code [N, C*kh*kw]}, each row a patch in {@code [c, ky, kx]} order; not modified
     * @param weights the layer's weights {@code [out, C, kh, kw]}; not modified
     * @return {@code G [C, C]} (double), {@code G[c][c'] = sum over rows and outputs of Z_c * Z_c'}
     * @throws IllegalArgumentException if the shapes do not match
     */
    public static INDArray channelGram(INDArray patches, INDArray weights) {
        int[] dims = check(patches, weights);
        int channels = dims[0];
        int area = dims[1];
        INDArray x = patches.castTo(DataType.DOUBLE);
        INDArray w = matrix(weights);
        INDArray xtx = x.transpose().mmul(x);
        INDArray wwt = w.mmul(w.transpose());
        // <X_c W_c, X_c' W_c'> = trace(W_c^T X_c^T X_c' W_c') = sum of the (c, c') block of (X^T X) .* (W W^T)
        return xtx.muli(wwt).reshape('c', channels, area, channels, area).sum(1, 3);
    }

    /**
     * Least squares {@code min ||X W^T - X_K V^T - 1 d^T||^2} over the kept channels' weights {@code V}
     * and an intercept {@code d}, with a ridge of {@link #RIDGE} times the mean diagonal.
     *
     * @param patches sampled input patches {@code [N, C*kh*kw]}; not modified
     * @param weights the layer's weights {@code [out, C, kh, kw]}; not modified
     * @param keep per input channel, whether it stays (at least one)
     * @return the refitted weights of the kept channels and the bias shift, in the weights' type
     * @throws IllegalArgumentException if the shapes do not match or {@code keep} keeps nothing
     */
    public static Refit refit(INDArray patches, INDArray weights, boolean[] keep) {
        int[] dims = check(patches, weights);
        int channels = dims[0];
        int area = dims[1];
        if (keep == null || keep.length != channels || KeepSelection.count(keep) == 0) {
            throw new IllegalArgumentException("keep must mark at least one of the " + channels
                    + " input channels, got "
                    + (keep == null ? "null" : KeepSelection.count(keep) + " of " + keep.length));
        }
        INDArray x = patches.castTo(DataType.DOUBLE);
        INDArray target = x.mmul(matrix(weights));
        long[] columns = keptColumns(keep, area);
        long rows = x.rows();
        INDArray design = Nd4j.createUninitialized(DataType.DOUBLE, new long[] {rows, columns.length + 1}, 'c');
        design.get(NDArrayIndex.all(), NDArrayIndex.interval(0, columns.length)).assign(
                x.get(NDArrayIndex.all(), NDArrayIndex.indices(columns)));
        design.getColumn(columns.length).assign(1.0);
        double ridge = RIDGE * design.mul(design).sum(0).meanNumber().doubleValue();
        INDArray solution = Nd4j.exec(new Lstsq(design, target, ridge, true))[0];
        long out = weights.size(0);
        INDArray kept = solution.get(NDArrayIndex.interval(0, columns.length), NDArrayIndex.all()).transpose()
                .dup('c').reshape('c', out, KeepSelection.count(keep), weights.size(2), weights.size(3));
        INDArray shift = solution.getRow(columns.length).dup();
        return new Refit(kept.castTo(weights.dataType()), shift.castTo(weights.dataType()));
    }

    /**
     * @param rows sampled rows
     * @param keep per input channel, whether it stays
     * @param area {@code kh * kw}
     * @return whether the least squares of {@link #refit} is well determined: at least twice as many rows
     *     as unknowns per output ({@code kept * area + 1}); below that it fits the sample's noise
     */
    public static boolean determined(long rows, boolean[] keep, int area) {
        return rows >= 2L * ((long) KeepSelection.count(keep) * area + 1);
    }

    /**
     * Selection without refit, for samples too small to refit ({@link #determined}): the kept
     * channels keep their weights and the bias takes the removed channels' mean contribution
     * {@code mean(X_removed) W_removed^T} on the sample.
     *
     * @param patches sampled input patches {@code [N, C*kh*kw]}; not modified
     * @param weights the layer's weights {@code [out, C, kh, kw]}; not modified
     * @param keep per input channel, whether it stays (at least one)
     * @return the kept channels' original weights and the bias shift
     * @throws IllegalArgumentException if the shapes do not match or {@code keep} keeps nothing
     */
    public static Refit keepWeights(INDArray patches, INDArray weights, boolean[] keep) {
        int[] dims = check(patches, weights);
        if (keep == null || keep.length != dims[0] || KeepSelection.count(keep) == 0) {
            throw new IllegalArgumentException("keep must mark at least one of the " + dims[0] + " input channels");
        }
        INDArray mean = patches.castTo(DataType.DOUBLE).mean(0).reshape(1, -1);
        for (long column : keptColumns(keep, dims[1])) {
            mean.putScalar(0, column, 0.0);
        }
        INDArray shift = mean.mmul(matrix(weights)).reshape(-1);
        long[] kept = new long[KeepSelection.count(keep)];
        for (int c = 0, k = 0; c < keep.length; c++) {
            if (keep[c]) {
                kept[k++] = c;
            }
        }
        INDArray keptWeights = weights.get(NDArrayIndex.all(), NDArrayIndex.indices(kept), NDArrayIndex.all(),
                NDArrayIndex.all()).dup('c');
        return new Refit(keptWeights, shift.castTo(weights.dataType()));
    }

    /**
     * @param patches sampled input patches {@code [N, C*kh*kw]}; not modified
     * @param reference the weights that define the target output {@code Y = X W^T}, {@code [out, C, kh, kw]}
     * @param approximation weights of the same shape (removed channels as zeros) giving {@code Y'}
     * @param biasShift {@code [out]} added to {@code Y'}, or null
     * @return {@code ||Y - Y'||^2 / ||Y||^2} on the sample
     */
    public static double relativeError(INDArray patches, INDArray reference, INDArray approximation,
                                       INDArray biasShift) {
        check(patches, reference);
        check(patches, approximation);
        INDArray x = patches.castTo(DataType.DOUBLE);
        INDArray y = x.mmul(matrix(reference));
        INDArray approx = x.mmul(matrix(approximation));
        if (biasShift != null) {
            approx.addiRowVector(biasShift.castTo(DataType.DOUBLE).reshape(1, -1));
        }
        double total = y.norm2Number().doubleValue();
        return Math.pow(y.subi(approx).norm2Number().doubleValue(), 2) / Math.max(total * total, Double.MIN_NORMAL);
    }

    /** @return {@code W} as a double {@code [C*kh*kw, out]} matrix */
    private static INDArray matrix(INDArray weights) {
        long out = weights.size(0);
        return weights.castTo(DataType.DOUBLE).dup('c').reshape('c', out, weights.length() / out).transpose();
    }

    private static long[] keptColumns(boolean[] keep, int area) {
        long[] columns = new long[KeepSelection.count(keep) * area];
        int k = 0;
        for (int c = 0; c < keep.length; c++) {
            if (keep[c]) {
                for (int a = 0; a < area; a++) {
                    columns[k++] = (long) c * area + a;
                }
            }
        }
        return columns;
    }

    /** @return {@code {C, kh*kw}} after checking the shapes */
    private static int[] check(INDArray patches, INDArray weights) {
        if (patches == null || weights == null || patches.rank() != 2 || weights.rank() != 4) {
            throw new IllegalArgumentException("patches must be [N, C*kh*kw] and weights [out, C, kh, kw], got "
                    + (patches == null ? "null" : Arrays.toString(patches.shape())) + " and "
                    + (weights == null ? "null" : Arrays.toString(weights.shape())));
        }
        long area = weights.size(2) * weights.size(3);
        if (patches.columns() != weights.size(1) * area) {
            throw new IllegalArgumentException("patches have " + patches.columns() + " columns; weights "
                    + Arrays.toString(weights.shape()) + " need C*kh*kw = " + weights.size(1) * area);
        }
        return new int[] {(int) weights.size(1), (int) area};
    }
}
