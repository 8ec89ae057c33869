package org.rpg4j.dl4j.structured.data;

import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.dl4j.structured.RankingScope;
import org.rpg4j.dl4j.structured.StructuredConfig;
import org.rpg4j.dl4j.structured.StructuredPruning;
import org.rpg4j.structured.ChannelGroup;
import org.rpg4j.structured.ChannelSelection;
import org.rpg4j.structured.GlobalChannelSelection;
import org.rpg4j.structured.KeepSelection;

/** Keep masks from measured scores, with a {@link StructuredConfig}'s scope, sparsities and exclusions. */
final class StatisticSelection {
    private StatisticSelection() {}

    /**
     * @param deps the analysis
     * @param config scope, channel sparsity, exclusions, per-layer sparsities
     * @param criterion the measured scores; unmeasured groups keep every channel
     * @param now maps a configured target sparsity to the sparsity to apply now (identity for one shot)
     * @return the keep masks
     */
    static KeepSelection select(ChannelDependencies deps, StructuredConfig config, StatisticCriterion criterion,
                                DoubleUnaryOperator now) {
        List<ChannelGroup> groups = deps.groups();
        if (config.scope() == RankingScope.GLOBAL) {
            return GlobalChannelSelection.select(groups, criterion, StructuredPruning.tensors(deps.graph()),
                    now.applyAsDouble(config.channelSparsity()),
                    g -> criterion.covers(g) && StructuredPruning.sparsityOf(g, config) > 0);
        }
        return ChannelSelection.perGroup(groups, criterion, StructuredPruning.tensors(deps.graph()),
                g -> criterion.covers(g) ? now.applyAsDouble(StructuredPruning.sparsityOf(g, config)) : 0);
    }
}
