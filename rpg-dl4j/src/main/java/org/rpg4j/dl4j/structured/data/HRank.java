package org.rpg4j.dl4j.structured.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.rpg4j.dl4j.activations.ActivationCollector;
import org.rpg4j.dl4j.activations.ActivationStatistics;
import org.rpg4j.dl4j.activations.ChannelStatistic;
import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.dl4j.structured.StructuredConfig;
import org.rpg4j.dl4j.structured.StructuredPruning;
import org.rpg4j.structured.ChannelGroup;
import org.rpg4j.structured.KeepSelection;

/**
 * HRank (Lin et al., "HRank: Filter Pruning using High-Rank Feature Map", CVPR 2020): each channel's
 * score is the average numerical rank of its post-activation feature maps over a few batches
 * ({@link org.rpg4j.structured.FeatureMapRank}); the lowest-ranked channels are removed, per layer
 * ({@code RankingScope.PER_GROUP}, with per-layer rates from {@code layerSparsity}) or in one global
 * ranking ({@code RankingScope.GLOBAL}, each layer's ranks divided by its largest). Groups whose
 * channels are not 2-D maps (dense layers) or cannot be observed keep every channel and are listed
 * in {@link DataDrivenResult#unscored()}. The paper fine-tunes afterwards; so should the caller.
 */
public final class HRank {
    /** Name of the criterion. */
    public static final String NAME = "hrank";

    private HRank() {}

    /**
     * @param net an initialised network with one input; not modified
     * @param config channel sparsity, scope, exclusions, per-layer rates, input shape ({@code criterion} is ignored)
     * @param data batches to measure the ranks on
     * @param batches batches to read at most, {@code >= 1} (the paper uses a few hundred images)
     * @return the smaller network, the ranks and the groups left whole
     * @throws IllegalArgumentException if an argument is null or invalid, or the configuration names an unknown layer
     * @throws IllegalStateException if the network is not initialised
     */
    public static DataDrivenResult prune(Model net, StructuredConfig config, DataSetIterator data, int batches) {
        if (config == null || data == null) {
            throw new IllegalArgumentException("config and data must not be null, got " + config + ", " + data);
        }
        ChannelDependencies deps = ChannelDependencies.analyse(net);
        StructuredPruning.requireKnownLayers(deps.graph(), config);
        Map<Integer, List<String>> observed = ObservedChannels.of(deps);
        List<String> unscored = new ArrayList<>();
        Map<Integer, List<String>> spatial = new HashMap<>();
        for (ChannelGroup g : deps.prunableGroups()) {
            List<String> nodes = observed.get(g.id());
            if (nodes != null && convolutional(deps, g)) {
                spatial.put(g.id(), nodes);
            } else {
                unscored.add(g.name() + " (" + g.size() + " channels): " + (nodes == null
                        ? "no single post-activation output per channel" : "its channels are not 2-D feature maps"));
            }
        }
        ActivationCollector.Builder collector = ActivationCollector.builder(batches);
        spatial.values().forEach(n -> collector.statistic(ChannelStatistic.FEATURE_MAP_RANK, n.toArray(String[]::new)));
        ActivationStatistics stats = collector.build().collect(net, data);
        Map<Integer, double[]> scores = new HashMap<>();
        spatial.forEach((id, nodes) -> scores.put(id,
                ObservedChannels.perChannel(stats.averageRank(), deps, deps.groups().get(id), nodes)));
        KeepSelection selection = StatisticSelection.select(deps, config, new StatisticCriterion(NAME, scores), s -> s);
        return new DataDrivenResult(StructuredPruning.shrink(deps, selection, config.inputShape()), stats, unscored);
    }

    private static boolean convolutional(ChannelDependencies deps, ChannelGroup g) {
        return g.producers().stream().allMatch(p -> deps.graph().node(p).layer() instanceof ConvolutionLayer);
    }
}
