package org.rpg4j.structured;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * L2 norm of each channel's producing weights: {@code score(c) = sqrt(sum over producer slices, over
 * the blocks of channel c, of sum w^2)} over every other axis. Shared channels (element-wise adds)
 * take the L2 norm of all their producers' weights together. Tensors are not modified.
 */
public final class FilterL2Norm implements ChannelCriterion {
    /** Name in configurations. */
    public static final String NAME = "l2-filter";

    @Override
    public double[] scores(ChannelGroup group, TensorSource tensors) {
        double[] squares = new double[group.size()];
        for (ChannelSlice s : group.slices(SliceRole.PRODUCER)) {
            double[] perIndex = squareSumPerIndex(tensors.tensor(s.layer(), s.param()), s.axis());
            for (int i = 0; i < s.blocks(); i++) {
                int first = s.offset() + i * s.blockSize();
                for (int k = 0; k < s.blockSize(); k++) {
                    squares[s.channelAt(i)] += perIndex[first + k];
                }
            }
        }
        for (int c = 0; c < squares.length; c++) {
            squares[c] = Math.sqrt(squares[c]);
        }
        return squares;
    }

    /** @return for each index along {@code axis}, the sum of w^2 over all other axes */
    static double[] squareSumPerIndex(INDArray w, int axis) {
        INDArray d = w.castTo(DataType.DOUBLE);
        INDArray sq = d.mul(d);
        if (sq.rank() == 1) {
            return sq.toDoubleVector();
        }
        int[] others = new int[sq.rank() - 1];
        for (int a = 0, j = 0; a < sq.rank(); a++) {
            if (a != axis) {
                others[j++] = a;
            }
        }
        return sq.sum(others).toDoubleVector();
    }

    @Override
    public String name() {
        return NAME;
    }
}
