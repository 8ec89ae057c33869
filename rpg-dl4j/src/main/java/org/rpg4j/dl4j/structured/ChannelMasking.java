package org.rpg4j.dl4j.structured;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.structured.ChannelGroup;
import org.rpg4j.structured.ChannelSlice;
import org.rpg4j.structured.KeepSelection;
import org.rpg4j.structured.SliceRole;
import org.rpg4j.structured.TensorSource;

/**
 * Masks removed channels in place, without changing shapes: zeroes each removed channel's producing
 * weights and bias and its batch-norm gamma and beta, so the channel's value after batch norm is
 * exactly 0 (shrinking then folds whatever constant the activation makes of it).
 */
public final class ChannelMasking {
    private ChannelMasking() {}

    /**
     * @param deps the analysis of the network whose parameters are modified in place
     * @param selection the channels to keep
     */
    public static void zeroRemoved(ChannelDependencies deps, KeepSelection selection) {
        TensorSource tensors = StructuredPruning.tensors(deps.graph());
        for (ChannelGroup g : deps.groups()) {
            boolean[] keep = selection.keep(g);
            for (ChannelSlice s : g.slices()) {
                if (masked(s)) {
                    zeroBlocks(tensors.tensor(s.layer(), s.param()), s, keep);
                }
            }
        }
    }

    private static boolean masked(ChannelSlice s) {
        return s.role() == SliceRole.PRODUCER
                || (s.role() == SliceRole.PASS_THROUGH && (s.param().equals("gamma") || s.param().equals("beta")));
    }

    private static void zeroBlocks(INDArray t, ChannelSlice s, boolean[] keep) {
        double[] factor = new double[(int) t.size(s.axis())];
        java.util.Arrays.fill(factor, 1.0);
        boolean any = false;
        for (int i = 0; i < s.blocks(); i++) {
            if (!keep[s.channelAt(i)]) {
                int first = s.offset() + i * s.blockSize();
                java.util.Arrays.fill(factor, first, first + s.blockSize(), 0.0);
                any = true;
            }
        }
        if (!any) {
            return;
        }
        INDArray f = Nd4j.createFromArray(factor).castTo(t.dataType());
        if (t.rank() == 1) {
            t.muli(f);
        } else {
            Nd4j.getExecutioner().exec(new BroadcastMulOp(t, f, t, s.axis()));
        }
    }
}
