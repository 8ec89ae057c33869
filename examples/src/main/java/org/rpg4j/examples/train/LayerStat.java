package org.rpg4j.examples.train;

/**
 * Sparsity and rank of one prunable weight tensor.
 *
 * @param name layer name
 * @param type simple class name of the layer's configuration, e.g. {@code ConvolutionLayer}
 * @param shape shape of the weight, output first: {@code [out, in, kh, kw]} or {@code [out, in]}
 * @param parameters number of weights
 * @param nonZeros weights that are not exactly 0.0
 * @param deltaRank delta-rank of the normalised {@code [out, rest]} matrix (smallest {@code k} whose
 *     best rank-k approximation is within 10 % in Frobenius norm); -1 when not measured
 * @param fullRank {@code min(out, rest)}, the largest possible rank
 * @param zeroRows rows of the {@code [out, rest]} matrix that are entirely 0.0 (output channels or
 *     units pruned away completely)
 * @param zeroColumns columns of the {@code [out, rest]} matrix that are entirely 0.0 (an input
 *     channel at one kernel position, or an input unit, that no output uses)
 */
public record LayerStat(String name, String type, long[] shape, long parameters, long nonZeros, int deltaRank,
                        int fullRank, long zeroRows, long zeroColumns) {
    /** Defensive copy of the shape. */
    public LayerStat {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** @return fraction of exact zeros, {@code 1 - nonZeros / parameters} */
    public double sparsity() {
        return parameters == 0 ? 0.0 : 1.0 - (double) nonZeros / parameters;
    }
}
