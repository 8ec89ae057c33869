package org.rpg4j.dl4j.structured;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.schedule.ScheduleKind;
import org.rpg4j.structured.ChannelCriterion;
import org.rpg4j.structured.ChannelSelection;
import org.rpg4j.structured.GlobalChannelSelection;
import org.rpg4j.structured.KeepSelection;

/**
 * Gradual filter pruning during {@code fit()}: a listener that, every {@code frequency} iterations
 * from {@code start}, ranks the channels with the configured criterion and masks (zeroes) the lowest,
 * the channel sparsity following a {@link ScheduleKind} ramp over {@code rampUpdates} updates to the
 * configured target (channel density {@code 1 - sparsity} is the curve's density); after every
 * iteration the current mask is re-applied so training does not revive masked channels.
 * {@link #finish()} removes the listener and shrinks the network to the last selection.
 *
 * <pre>{@code
 * GradualStructuredPruning g = GradualStructuredPruning.attach(net, config, ScheduleKind.CUBIC, 0, 10, 50);
 * net.fit(data, epochs);
 * StructuredResult r = g.finish();
 * }</pre>
 * Not thread-safe; the network's parameters are modified in place while it trains.
 */
public final class GradualStructuredPruning extends BaseTrainingListener {
    private final Model net;
    private final StructuredConfig config;
    private final ChannelDependencies deps;
    private final ChannelCriterion criterion;
    private final ScheduleKind schedule;
    private final int start;
    private final int rampUpdates;
    private final int frequency;
    private KeepSelection selection;
    private boolean finished;

    private GradualStructuredPruning(Model net, StructuredConfig config, ScheduleKind schedule, int start,
                                     int rampUpdates, int frequency) {
        this.net = net;
        this.config = config;
        this.deps = ChannelDependencies.analyse(net);
        StructuredPruning.requireKnownLayers(deps.graph(), config);
        this.criterion = Criteria.byName(config.criterion());
        this.schedule = schedule;
        this.start = start;
        this.rampUpdates = rampUpdates;
        this.frequency = frequency;
        this.selection = KeepSelection.keepAll(deps.groups());
    }

    /**
     * Adds the listener to {@code net}.
     *
     * @param net an initialised {@code MultiLayerNetwork} or {@code ComputationGraph} that will train
     * @param config target channel sparsity, criterion, scope, exclusions
     * @param schedule the ramp of channel density ({@code ONE_SHOT} prunes at update 1 only)
     * @param start first iteration of update 0, {@code >= 0}
     * @param rampUpdates updates until the target, {@code >= 1}
     * @param frequency iterations between updates, {@code >= 1}
     * @return the run
     * @throws IllegalArgumentException if an argument is null or out of range, or the configuration names
     *     an unknown layer
     * @throws IllegalStateException if the network is not initialised
     */
    public static GradualStructuredPruning attach(Model net, StructuredConfig config, ScheduleKind schedule,
                                                  int start, int rampUpdates, int frequency) {
        if (config == null || schedule == null) {
            throw new IllegalArgumentException("config and schedule must not be null, got " + config + ", " + schedule);
        }
        if (start < 0 || rampUpdates < 1 || frequency < 1) {
            throw new IllegalArgumentException("start must be >= 0, rampUpdates and frequency >= 1, got start "
                    + start + ", rampUpdates " + rampUpdates + ", frequency " + frequency);
        }
        GradualStructuredPruning g = new GradualStructuredPruning(net, config, schedule, start, rampUpdates, frequency);
        net.addListeners(g);
        return g;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (finished) {
            return;
        }
        if (iteration >= start && (iteration - start) % frequency == 0) {
            selection = select((iteration - start) / frequency);
        }
        ChannelMasking.zeroRemoved(deps, selection);
    }

    /**
     * @param update the 0-based update index
     * @return the selection at that update, ranked on the current (masked) weights
     */
    KeepSelection select(int update) {
        if (config.scope() == RankingScope.GLOBAL) {
            return GlobalChannelSelection.select(deps.groups(), criterion, StructuredPruning.tensors(deps.graph()),
                    sparsityAt(update, config.channelSparsity()),
                    g -> StructuredPruning.sparsityOf(g, config) > 0);
        }
        return ChannelSelection.perGroup(deps.groups(), criterion, StructuredPruning.tensors(deps.graph()),
                g -> sparsityAt(update, StructuredPruning.sparsityOf(g, config)));
    }

    private double sparsityAt(int update, double target) {
        return target == 0 ? 0 : 1 - schedule.densityAtUpdate(update, rampUpdates, 1 - target);
    }

    /** @return the current keep masks (all channels kept before the first update) */
    public KeepSelection selection() {
        return selection;
    }

    /**
     * Removes the listener and builds the smaller network from the last selection; the trained
     * network keeps its masked (zeroed) channels.
     *
     * @return the smaller network and its report
     * @throws IllegalStateException if already finished
     */
    public StructuredResult finish() {
        if (finished) {
            throw new IllegalStateException("this gradual structured run is already finished");
        }
        finished = true;
        NetworkListeners.of(net).remove(this);
        ChannelMasking.zeroRemoved(deps, selection);
        return StructuredPruning.shrink(deps, selection, config.inputShape());
    }

    /** @return the network being trained */
    public Model network() {
        return net;
    }
}
