package org.rpg4j.structured;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The simplest criterion, L1 norm of each channel's producing weights (Li et al., "Pruning Filters
 * for Efficient ConvNets", ICLR 2017): {@code score(c) = sum over producer slices, over the blocks of
 * channel c, of sum |w|} over every other axis. Shared channels (element-wise adds) sum the norms of
 * all their producers. Tensors are not modified.
 */
public final class FilterNorm implements ChannelCriterion {
    /** Name in configurations. */
    public static final String NAME = "l1-filter";

    @Override
    public double[] scores(ChannelGroup group, TensorSource tensors) {
        double[] scores = new double[group.size()];
        for (ChannelSlice s : group.slices(SliceRole.PRODUCER)) {
            double[] perIndex = absSumPerIndex(tensors.tensor(s.layer(), s.param()), s.axis());
            for (int i = 0; i < s.blocks(); i++) {
                int first = s.offset() + i * s.blockSize();
                for (int k = 0; k < s.blockSize(); k++) {
                    scores[s.channelAt(i)] += perIndex[first + k];
                }
            }
        }
        return scores;
    }

    /** @return for each index along {@code axis}, the sum of |w| over all other axes */
    static double[] absSumPerIndex(INDArray w, int axis) {
        if (w.rank() == 1) {
            return Transforms.abs(w, true).castTo(DataType.DOUBLE).toDoubleVector();
        }
        int[] others = new int[w.rank() - 1];
        for (int a = 0, j = 0; a < w.rank(); a++) {
            if (a != axis) {
                others[j++] = a;
            }
        }
        return w.norm1(others).castTo(DataType.DOUBLE).toDoubleVector();
    }

    @Override
    public String name() {
        return NAME;
    }
}
