package org.rpg4j.dl4j.structured.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.rpg4j.dl4j.activations.ActivationCollector;
import org.rpg4j.dl4j.activations.ActivationStatistics;
import org.rpg4j.dl4j.activations.ChannelStatistic;
import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.dl4j.structured.ChannelMasking;
import org.rpg4j.dl4j.structured.NetworkListeners;
import org.rpg4j.dl4j.structured.StructuredConfig;
import org.rpg4j.dl4j.structured.StructuredPruning;
import org.rpg4j.structured.ChannelGroup;
import org.rpg4j.structured.KeepSelection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DropNet (Tan and Motani, "DropNet: Reducing Neural Network Complexity via Iterative Pruning",
 * ICML 2020): train, measure each channel's (node's or filter's) mean post-activation value on
 * data, drop the lowest, and repeat. Round {@code r} of {@code R} reaches channel sparsity
 * {@code 1 - (1 - target)^(r / R)} of each group (a constant fraction of the survivors per round;
 * the last round hits {@code target} exactly), counted as {@code floor(sparsity * size)} per group
 * or, with {@code RankingScope.GLOBAL}, over all channels. Dropped channels are masked (zeroed, see
 * {@link ChannelMasking}) after every training iteration and stay dropped; {@link WeightReset}
 * chooses whether the survivors keep their trained weights or restart from their initial values.
 *
 * <pre>{@code
 * DropNet d = DropNet.attach(net, StructuredConfig.builder(0.5).build(), 4, WeightReset.KEEP);
 * for (int r = 0; r < 4; r++) { net.fit(train, 1); d.dropRound(train, 20); }
 * net.fit(train, 1);
 * StructuredResult smaller = d.finish().result();
 * }</pre>
 * The network's parameters are modified in place. Not thread-safe.
 */
public final class DropNet extends BaseTrainingListener {
    /** Name of the criterion. */
    public static final String NAME = "dropnet";
    private static final Logger LOG = LoggerFactory.getLogger(DropNet.class);

    private final Model net;
    private final StructuredConfig config;
    private final int rounds;
    private final WeightReset reset;
    private final ChannelDependencies deps;
    private final Map<Integer, List<String>> observed;
    private final INDArray initialParams;
    private KeepSelection selection;
    private ActivationStatistics lastStatistics;
    private int round;
    private boolean finished;

    private DropNet(Model net, StructuredConfig config, int rounds, WeightReset reset) {
        this.net = net;
        this.config = config;
        this.rounds = rounds;
        this.reset = reset;
        this.deps = ChannelDependencies.analyse(net);
        StructuredPruning.requireKnownLayers(deps.graph(), config);
        this.observed = ObservedChannels.of(deps);
        this.initialParams = reset == WeightReset.RESET_TO_INITIAL ? net.params().dup() : null;
        this.selection = KeepSelection.keepAll(deps.groups());
    }

    /**
     * Adds the masking listener to {@code net}.
     *
     * @param net an initialised network with one input, about to train
     * @param config the final channel sparsity, scope, exclusions, per-layer targets, input shape
     *     ({@code criterion} is ignored)
     * @param rounds drop rounds, {@code >= 1}
     * @param reset what happens to the survivors' weights after each round
     * @return the run
     * @throws IllegalArgumentException if an argument is null or out of range, or the configuration names an unknown layer
     * @throws IllegalStateException if the network is not initialised
     */
    public static DropNet attach(Model net, StructuredConfig config, int rounds, WeightReset reset) {
        if (config == null || reset == null) {
            throw new IllegalArgumentException("config and reset must not be null, got " + config + ", " + reset);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
        }
        DropNet d = new DropNet(net, config, rounds, reset);
        net.addListeners(d);
        return d;
    }

    /**
     * @param target the final sparsity, in [0, 1)
     * @param round rounds done, in [0, rounds]
     * @param rounds all rounds
     * @return {@code 1 - (1 - target)^(round / rounds)}, exactly {@code target} at the last round
     */
    public static double sparsityAfter(double target, int round, int rounds) {
        return round == rounds ? target : 1 - Math.pow(1 - target, round / (double) rounds);
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (!finished && round > 0) {
            ChannelMasking.zeroRemoved(deps, selection);
        }
    }

    /**
     * One round: measures the mean post-activation of every observable channel (dropped channels
     * included, then ranked below every survivor), drops the lowest up to this round's sparsity, masks
     * them, and resets the survivors if so configured.
     *
     * @param data batches to measure on
     * @param batches batches to read at most, {@code >= 1}
     * @return the selection after this round
     * @throws IllegalStateException if every round is done or the run is finished
     */
    public KeepSelection dropRound(DataSetIterator data, int batches) {
        if (finished || round >= rounds) {
            throw new IllegalStateException("all " + rounds + " DropNet rounds are done" + (finished ? " (finished)"
                    : ""));
        }
        ActivationCollector.Builder collector = ActivationCollector.builder(batches);
        observed.values().forEach(n -> collector.statistic(ChannelStatistic.MEAN_ACTIVATION, n.toArray(String[]::new)));
        lastStatistics = collector.build().collect(net, data);
        round++;
        selection = StatisticSelection.select(deps, config, new StatisticCriterion(NAME, scores()),
                t -> sparsityAfter(t, round, rounds));
        if (reset == WeightReset.RESET_TO_INITIAL) {
            net.params().assign(initialParams);
            INDArray state = net instanceof MultiLayerNetwork m ? m.getUpdater().getStateViewArray()
                    : ((ComputationGraph) net).getUpdater().getStateViewArray();
            if (state != null) {
                state.assign(0);
            }
        }
        ChannelMasking.zeroRemoved(deps, selection);
        LOG.info("rpg4j DropNet: round {} of {}, channel sparsity {}, {}", round, rounds,
                String.format("%.4f", sparsityAfter(config.channelSparsity(), round, rounds)), selection);
        return selection;
    }

    /** Mean activations per group; channels already dropped score below every survivor of their group. */
    private Map<Integer, double[]> scores() {
        Map<Integer, double[]> scores = new HashMap<>();
        for (Map.Entry<Integer, List<String>> e : observed.entrySet()) {
            ChannelGroup g = deps.groups().get(e.getKey());
            double[] s = ObservedChannels.perChannel(lastStatistics.meanActivation(), deps, g, e.getValue());
            double largest = 0;
            for (double v : s) {
                largest = Math.max(largest, Math.abs(v));
            }
            boolean[] keep = selection.keep(g);
            for (int c = 0; c < s.length; c++) {
                // below -largest, and still below after a global ranking divides by the group's largest score
                s[c] = keep[c] ? s[c] : -2 * largest - 1;
            }
            scores.put(g.id(), s);
        }
        return scores;
    }

    /** @return rounds done */
    public int round() {
        return round;
    }

    /** @return the current keep masks */
    public KeepSelection selection() {
        return selection;
    }

    /**
     * Removes the listener and builds the smaller network from the last selection.
     *
     * @return the smaller network, the last round's statistics, and the groups DropNet could not observe
     * @throws IllegalStateException if already finished or no round was run
     */
    public DataDrivenResult finish() {
        if (finished || round == 0) {
            throw new IllegalStateException(finished ? "this DropNet run is already finished"
                    : "run at least one dropRound before finish");
        }
        finished = true;
        NetworkListeners.of(net).remove(this);
        ChannelMasking.zeroRemoved(deps, selection);
        List<String> unscored = new ArrayList<>();
        for (ChannelGroup g : deps.prunableGroups()) {
            if (!observed.containsKey(g.id())) {
                unscored.add(g.name() + " (" + g.size() + " channels): no single post-activation output per channel");
            }
        }
        return new DataDrivenResult(StructuredPruning.shrink(deps, selection, config.inputShape()), lastStatistics,
                unscored);
    }
}
