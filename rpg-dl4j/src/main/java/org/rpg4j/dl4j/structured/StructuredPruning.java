package org.rpg4j.dl4j.structured;

import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.dl4j.graph.NetworkGraph;
import org.rpg4j.dl4j.shrink.DeadChannels;
import org.rpg4j.dl4j.shrink.NetworkShrinker;
import org.rpg4j.dl4j.shrink.ShrinkResult;
import org.rpg4j.structured.ChannelCriterion;
import org.rpg4j.structured.ChannelGroup;
import org.rpg4j.structured.ChannelSelection;
import org.rpg4j.structured.GlobalChannelSelection;
import org.rpg4j.structured.KeepSelection;
import org.rpg4j.structured.TensorSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry points of structured pruning for DL4J networks.
 *
 * <pre>{@code
 * StructuredResult r = StructuredPruning.prune(net, StructuredConfig.builder(0.5).inputShape(3, 32, 32).build());
 * System.out.println(r.report());            // channels, parameters, MACs per layer, locked groups
 * ComputationGraph smaller = (ComputationGraph) r.network();
 *
 * // after an unstructured run (Pruning.finish()): drop the channels it emptied, outputs unchanged
 * StructuredResult dead = StructuredPruning.removeDeadChannels(pruning.network(), new int[] {3, 32, 32});
 * }</pre>
 *
 * The original network is never modified; the returned one continues from its updater state
 * ({@link org.rpg4j.dl4j.shrink.UpdaterStatePolicy#COPY}: momentum and Adam moments sliced like the parameters).
 */
public final class StructuredPruning {
    private static final Logger LOG = LoggerFactory.getLogger(StructuredPruning.class);

    private StructuredPruning() {}

    /**
     * One-shot: analyses {@code net}, ranks each unlocked group's channels with the configured
     * criterion, removes the lowest fraction and builds the smaller network.
     *
     * @param net an initialised {@code MultiLayerNetwork} or {@code ComputationGraph}; not modified
     * @param config the run
     * @return the smaller network, the selection and the report
     * @throws IllegalArgumentException if an argument is null, the network is of another type, or the
     *     configuration names a layer the network does not have
     * @throws IllegalStateException if the network is not initialised
     */
    public static StructuredResult prune(Model net, StructuredConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        ChannelDependencies deps = ChannelDependencies.analyse(net);
        requireKnownLayers(deps.graph(), config);
        ChannelCriterion criterion = Criteria.byName(config.criterion());
        KeepSelection selection = config.scope() == RankingScope.GLOBAL
                ? GlobalChannelSelection.select(deps.groups(), criterion, tensors(deps.graph()),
                        config.channelSparsity(), g -> sparsityOf(g, config) > 0)
                : ChannelSelection.perGroup(deps.groups(), criterion, tensors(deps.graph()), g -> sparsityOf(g,
                        config));
        if (config.channelMultiple() > 1) {
            selection = KeptCountRounding.roundUp(deps.groups(), selection, criterion, tensors(deps.graph()),
                    config.channelMultiple());
        }
        return shrink(deps, selection, config.inputShape());
    }

    /**
     * Removes only the channels whose removal changes no output (see {@link DeadChannels}).
     *
     * @param net an initialised network; not modified
     * @param inputShape {@code [channels, height, width]} for the multiply-add counts, or null
     * @return the smaller network (outputs equal to the original's up to float rounding)
     * @throws IllegalArgumentException if {@code inputShape} is not three values {@code >= 1}, or the
     *     network is null or of another type
     * @throws IllegalStateException if the network is not initialised
     */
    public static StructuredResult removeDeadChannels(Model net, int[] inputShape) {
        ChannelDependencies deps = ChannelDependencies.analyse(net);
        if (inputShape != null && (inputShape.length != 3 || java.util.Arrays.stream(inputShape).anyMatch(
                d -> d < 1))) {
            throw new IllegalArgumentException("inputShape must be [channels, height, width], each >= 1, got "
                    + java.util.Arrays.toString(inputShape));
        }
        return shrink(deps, DeadChannels.select(deps), Optional.ofNullable(inputShape).map(int[]::clone));
    }

    /**
     * During training: validates the configuration against the network now, installs the
     * criterion's {@link TrainingHook} if it has one, and prunes at {@link StructuredRun#finish()}.
     *
     * @param net an initialised network that will train
     * @param config the run
     * @return the handle
     * @throws IllegalArgumentException as {@link #prune}
     * @throws IllegalStateException if the network is not initialised
     */
    public static StructuredRun attach(Model net, StructuredConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        ChannelDependencies deps = ChannelDependencies.analyse(net);
        requireKnownLayers(deps.graph(), config);
        ChannelCriterion criterion = Criteria.byName(config.criterion());
        if (criterion instanceof TrainingHook hook) {
            hook.install(net, deps);
        }
        return new StructuredRun(net, config, criterion);
    }

    /**
     * Builds the smaller network for a selection made by any criterion (used by the data-driven
     * criteria of {@code org.rpg4j.dl4j.structured.data}).
     *
     * @param deps the analysis of the original network (which is not modified)
     * @param selection keep masks for the groups of {@code deps}
     * @param inputShape {@code [channels, height, width]} for the multiply-add counts, or empty
     * @return the smaller network, the selection and the report
     * @throws IllegalArgumentException if the selection removes channels of a locked group
     */
    public static StructuredResult shrink(ChannelDependencies deps, KeepSelection selection,
                                          Optional<int[]> inputShape) {
        long start = System.nanoTime();
        Model original = deps.graph().model();
        ShrinkResult shrunk = NetworkShrinker.shrink(deps, selection);
        StructuredReport report = StructuredReport.of(LayerCost.of(original, inputShape),
                LayerCost.of(shrunk.network(), inputShape), deps.groups(), shrunk.inexactFolds());
        LOG.info("rpg4j structured: parameters {} -> {}, MACs/image {} -> {}, {} locked groups, {} ms",
                report.paramsBefore(), report.paramsAfter(), report.macsBefore(), report.macsAfter(),
                report.lockedGroups().size(), (System.nanoTime() - start) / 1_000_000);
        return new StructuredResult(shrunk.network(), selection, report);
    }

    /**
     * @param g a group
     * @param config the run
     * @return the group's channel sparsity: 0 if a producer is excluded, else the first producer's
     *     per-layer sparsity, else the configuration's channel sparsity
     */
    public static double sparsityOf(ChannelGroup g, StructuredConfig config) {
        if (g.producers().stream().anyMatch(config.excludedLayers()::contains)) {
            return 0;
        }
        for (String p : g.producers()) {
            Double s = config.layerSparsity().get(p);
            if (s != null) {
                return s;
            }
        }
        return config.channelSparsity();
    }

    /**
     * @param graph the network's nodes
     * @param config the run
     * @throws IllegalArgumentException if the configuration excludes or sets the sparsity of a layer the network lacks
     */
    public static void requireKnownLayers(NetworkGraph graph, StructuredConfig config) {
        for (String l : config.excludedLayers()) {
            if (!graph.has(l)) {
                throw new IllegalArgumentException("excluded layer '" + l + "' is not in the network");
            }
        }
        for (Map.Entry<String, Double> e : config.layerSparsity().entrySet()) {
            if (!graph.has(e.getKey())) {
                throw new IllegalArgumentException("layerSparsity names layer '" + e.getKey()
                        + "', which is not in the network");
            }
        }
    }

    /**
     * @param graph the network's nodes
     * @return the network's live parameter tensors by layer and key (callers must not modify them)
     */
    public static TensorSource tensors(NetworkGraph graph) {
        return (layer, param) -> {
            INDArray t = graph.node(layer).params().get(param);
            if (t == null) {
                throw new IllegalArgumentException("layer '" + layer + "' has no parameter '" + param + "'");
            }
            return t;
        };
    }
}
