package org.rpg4j.dl4j.shrink;

import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.dl4j.graph.NetworkNode;
import org.rpg4j.dl4j.graph.PositionChannels;
import org.rpg4j.structured.ChannelGroup;
import org.rpg4j.structured.KeepSelection;
import org.rpg4j.structured.SliceRole;

/**
 * Finds the channels whose removal changes no output: at every layer that reads the channel its
 * value is a constant (see {@link ConstantChannels}) that is exactly zero, or that folds exactly into
 * that layer's bias (a dense layer, or a convolution without padding). Typical sources: filters
 * emptied by unstructured pruning (RPG, RigL, magnitude pruning at high sparsity), with or without
 * batch norm after them. Each group keeps at least one channel (its first, if all are dead).
 */
public final class DeadChannels {
    private DeadChannels() {}

    /**
     * @param deps the analysis of the network (parameters read, not modified)
     * @return keep masks with the dead channels of every unlocked group removed
     * @throws IllegalArgumentException if {@code deps} is null
     */
    public static KeepSelection select(ChannelDependencies deps) {
        if (deps == null) {
            throw new IllegalArgumentException("deps must not be null (analyse the network with ChannelDependencies)");
        }
        ConstantChannels constants = ConstantChannels.of(deps);
        boolean[][] alive = new boolean[deps.groups().size()][];
        for (ChannelGroup g : deps.groups()) {
            alive[g.id()] = new boolean[g.size()];
            if (g.locked()) {
                java.util.Arrays.fill(alive[g.id()], true);
            }
        }
        for (NetworkNode n : deps.graph().nodes()) {
            if (deps.axes(n.name()).stream().noneMatch(a -> a.role() == SliceRole.CONSUMER)) {
                continue;
            }
            PositionChannels in = deps.inputs(n.name());
            double[] value = constants.inputs(n.name());
            boolean foldable = BiasFolding.isExact(n);
            for (int i = 0; i < in.size(); i++) {
                if (!Double.isFinite(value[i]) || (value[i] != 0.0 && !foldable)) {
                    alive[in.group()[i]][in.channel()[i]] = true;
                }
            }
        }
        KeepSelection selection = KeepSelection.keepAll(deps.groups());
        for (ChannelGroup g : deps.prunableGroups()) {
            boolean[] keep = alive[g.id()].clone();
            if (KeepSelection.count(keep) == 0) {
                keep[0] = true;
            }
            selection = selection.with(g.id(), keep);
        }
        return selection;
    }
}
