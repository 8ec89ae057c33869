package org.rpg4j.dl4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.dl4j.hooks.LayerHooks;
import org.rpg4j.prune.Pruner;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one {@link Pruner} from DL4J's hooks, iteration by iteration (DL4J's 0-based iteration
 * count minus the count at attach is the pruner's iteration):
 *
 * <ol>
 *   <li>listener {@code onGradientCalculation}, after backprop and before DL4J's updater divides by
 *       the minibatch and applies any gradient normalisation: checks loss, gradients and parameters
 *       ({@link TrainingGuard}); at an update iteration captures the dense batch-mean gradient; adds
 *       the rank gradient where the step applies it; masks the gradient (so that gradient
 *       normalisation and clipping see the masked gradient, as in the reference); at an update
 *       iteration runs the topology update on the weights before the step, masks the gradient with
 *       the new masks and, if the update regrows, snapshots parameters and updater state;
 *   <li>the pre-updater and post-updater regularizations of each pruned layer: gradient and update
 *       times mask (again after the user's L1/L2 and the updater);
 *   <li>listener {@code iterationDone}, after {@code params -= update}: where the reference skips
 *       the step (an update that regrows), puts parameters and updater state back; checks weights.
 * </ol>
 *
 * The hot path does no allocation proportional to the model: a few in-place multiplications and
 * reductions per pruned tensor, the multiplications skipped while a tensor has no pruned weight.
 */
final class PruningRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(PruningRuntime.class);

    private final NetworkAdapter net;
    private final Pruner pruner;
    private final List<TensorBinding> bindings;
    private final Map<String, Layer> layerConfs;
    private final Map<String, INDArray> weights = new LinkedHashMap<>();
    private final Map<String, INDArray> captured = new LinkedHashMap<>();
    private final Map<String, LayerHooks> layerHooks = new LinkedHashMap<>();
    private final long iterationOffset;
    private final boolean skipsStep;
    private final PruningListener listener = new PruningListener(this);
    private final NetworkViews views;
    private final TrainingGuard guard;
    private int listenerIteration = Integer.MIN_VALUE;
    private int planIteration = Integer.MIN_VALUE;
    private boolean planUpdate;
    private boolean planRank;
    private int rankIteration = Integer.MIN_VALUE;
    private RankStep rankStep;
    private int completedIteration = Integer.MIN_VALUE;
    private int endedEpoch = Integer.MIN_VALUE;
    private boolean finished;
    private TopologyObserver observer;

    PruningRuntime(NetworkAdapter net, Pruner pruner, LayerDiscovery.Result found, long iterationOffset) {
        this.net = net;
        this.pruner = pruner;
        this.bindings = found.bindings();
        this.layerConfs = found.layers();
        this.iterationOffset = iterationOffset;
        this.skipsStep = regrows(pruner.config());
        this.views = new NetworkViews(net, pruner, bindings);
        this.guard = new TrainingGuard(net, bindings);
        for (TensorBinding b : bindings) {
            weights.put(b.name(), b.weights());
            captured.put(b.name(), b.captured());
        }
    }

    /**
     * The reference skips the optimizer step of an update iteration because that iteration's
     * gradient (with the rank loss) only scores regrowth; with nothing to regrow (no regrowth, or a
     * drop fraction of 0) it takes the step ({@link PruningConfig#skipsStepAtUpdates()}).
     */
    static boolean regrows(PruningConfig config) {
        return config.skipsStepAtUpdates();
    }

    /**
     * Logs a warning when the run's topology updates skip more than
     * {@link PruningConfig#WARN_SKIPPED_STEP_FRACTION} of its optimizer steps ({@link PruningConfig#build()}
     * already refused more than {@link PruningConfig#MAX_SKIPPED_STEP_FRACTION}).
     *
     * @param config the run's configuration
     */
    static void warnIfManyStepsSkipped(PruningConfig config) {
        if (config.skippedStepFraction() > PruningConfig.WARN_SKIPPED_STEP_FRACTION) {
            LOG.warn("rpg4j: the topology updates skip {} of the run's {} optimizer steps ({} %): with regrowth each "
                    + "update (every deltaT = {} iterations until {} % of training) takes the place of its "
                    + "iteration's step, as in the reference; deltaT {} or more skips under {} %",
                    config.skippedSteps(), config.totalIterations(), String.format(Locale.ROOT, "%.1f",
                            100 * config.skippedStepFraction()), config.deltaT(), String.format(Locale.ROOT, "%.1f",
                                    100 * config.updateEndFraction()),
                    (int) Math.ceil(1 / PruningConfig.WARN_SKIPPED_STEP_FRACTION),
                    Math.round(100 * PruningConfig.WARN_SKIPPED_STEP_FRACTION));
        }
    }

    /** Creates the updater if needed, masks weights and updater state, installs hooks and listener. */
    void start() {
        net.updater(true);
        pruner.applyMasksInPlace(weights);
        views.sync();
        Map<String, List<TensorBinding>> byLayer = new LinkedHashMap<>();
        for (TensorBinding b : bindings) {
            byLayer.computeIfAbsent(b.layerName(), k -> new ArrayList<>()).add(b);
        }
        byLayer.forEach((name, tensors) -> {
            BoundLayer hooks = new BoundLayer(this, tensors);
            layerHooks.put(name, hooks);
            HookInstaller.install(layerConfs.get(name), hooks);
        });
        net.addListenerFirst(listener);
    }

    Model model() {
        return net.model();
    }

    /** Listener: after backprop, before the updater (the gradient is still the sum over the minibatch). */
    void beforeUpdater() {
        if (finished) {
            return;
        }
        int iteration = net.iterationCount();
        listenerIteration = iteration;
        views.sync();
        guard.checkLossAndGradients(iteration);
        guard.checkPrunedWeights(iteration);
        plan(iteration);
        long batch = net.batchSize();
        if (planUpdate) {
            bindings.forEach(b -> b.capture(batch));
        }
        if (planRank) {
            // The raw gradient is batch times the mean DL4J's updater will see (miniBatch(true)) or
            // uses as it is (miniBatch(false)): the rank term keeps its weight lambda against the mean.
            addRankGradient(iteration, batch);
        }
        bindings.forEach(TensorBinding::maskGradient);
        if (planUpdate) {
            updateTopology(iteration);
            bindings.forEach(TensorBinding::maskGradient);
            if (skipsStep) {
                views.skippedStep().snapshot(iteration);
            }
        }
    }

    private void updateTopology(int iteration) {
        long pruningIteration = iteration - iterationOffset;
        if (observer != null) {
            observer.beforeTopologyUpdate(pruningIteration, Collections.unmodifiableMap(weights),
                    Collections.unmodifiableMap(captured));
        }
        NetworkViews.outsideWorkspaces(() -> pruner.updateTopology(pruningIteration, weights, captured));
        views.syncMasks();
        bindings.forEach(TensorBinding::maskState);
    }

    private void addRankGradient(int iteration, double scale) {
        RankStep step = rankStep(iteration);
        for (TensorBinding t : bindings) {
            t.addRankGradient(step, scale);
        }
    }

    /** Listener: after {@code params -= update}, before DL4J increments its iteration count. */
    void afterStep(int iteration) {
        if (finished) {
            return;
        }
        plan(iteration);
        if (planUpdate && skipsStep) {
            views.skippedStep().restore(iteration);
        }
        guard.checkWeights(iteration);
        completedIteration = iteration;
    }

    /** Listener: at the end of an epoch, before DL4J increments its epoch count. */
    void epochEnded() {
        endedEpoch = net.epochCount();
    }

    /**
     * @return how many iterations and epochs a save made now must record: inside DL4J's
     *     {@code iterationDone} (after the step, before DL4J increments its count) or
     *     {@code onEpochEnd}, one more than the network's counters say, so that a resumed run
     *     continues with the next iteration rather than repeat this one
     */
    long[] countsToSave() {
        int iterations = net.iterationCount();
        int epochs = net.epochCount();
        return new long[] {completedIteration == iterations ? iterations + 1L : iterations,
                endedEpoch == epochs ? epochs + 1L : epochs};
    }

    /**
     * Runs once per layer and iteration, before the layer's other regularizations: does the listener's gradient work for every pruned tensor
     * if DL4J's listener list lost the listener (a warning; an error at an update iteration).
     */
    void beforeRegularizations(int iteration) {
        if (listenerIteration == iteration) {
            return;
        }
        plan(iteration);
        if (planUpdate) {
            throw new IllegalStateException("rpg4j's training listener did not run at iteration " + iteration
                    + ", a topology-update iteration: it was removed from the network (setListeners replaces all "
                    + "listeners; use addListeners after Dl4jPruning.attach)");
        }
        LOG.warn("rpg4j's training listener was removed from the network (setListeners replaces all "
                + "listeners; use addListeners after Dl4jPruning.attach): adding it back at iteration {}; this "
                + "iteration's gradient normalisation (if any) saw the unmasked gradient", iteration);
        listenerIteration = iteration;
        net.addListenerFirst(listener);
        // This is the first pruned layer's hook of the iteration: DL4J has divided every gradient by
        // the minibatch (with miniBatch(true)) and no pruned tensor's updater has run yet.
        if (planRank) {
            addRankGradient(iteration, net.miniBatch() ? 1.0 : net.batchSize());
        }
        bindings.forEach(TensorBinding::maskGradient);
    }

    /**
     * @param param a parameter view DL4J handed to a hook of layer {@code layerName}
     * @throws IllegalStateException if it is not a view of this network's parameters
     */
    void checkOwnParameters(INDArray param, String layerName) {
        views.checkOwnParameters(param, layerName);
    }

    private void plan(int iteration) {
        if (planIteration == iteration) {
            return;
        }
        long p = iteration - iterationOffset;
        planUpdate = p >= 0 && pruner.isUpdateIteration(p);
        boolean stepTaken = !planUpdate || !skipsStep;
        planRank = p >= 0 && (pruner.addsRankGradient(p)
                || (planUpdate && stepTaken && pruner.config().rankLoss().enabled()));
        planIteration = iteration;
    }

    private RankStep rankStep(int iteration) {
        if (rankIteration != iteration) {
            rankStep = NetworkViews.outsideWorkspaces(() -> pruner.rankStep(weights));
            rankIteration = iteration;
        }
        return rankStep;
    }

    /**
     * Makes the masks permanent in the weights and removes every hook and the listener. Pruned weights
     * end as +0.0: the mask product leaves -0.0 where a weight was negative, and adding +0.0 turns it
     * into +0.0 (IEEE 754), so a saved model's pruned entries are all-zero bytes, which compress better.
     */
    void finish() {
        requireActive();
        views.sync();
        pruner.applyMasksInPlace(weights);
        weights.values().forEach(w -> w.addi(0.0));
        bindings.forEach(TensorBinding::maskState);
        layerConfs.values().forEach(HookInstaller::remove);
        net.removeListener(listener);
        finished = true;
    }

    void requireActive() {
        if (finished) {
            throw new IllegalStateException("this Pruning handle is finished: its network no longer carries rpg4j "
                    + "hooks (attach again to start a new pruning run)");
        }
    }

    boolean finished() {
        return finished;
    }

    NetworkAdapter network() {
        return net;
    }

    Pruner pruner() {
        return pruner;
    }

    List<TensorBinding> bindings() {
        return bindings;
    }

    Map<String, INDArray> weights() {
        return Collections.unmodifiableMap(weights);
    }

    long iterationOffset() {
        return iterationOffset;
    }

    /** @return the configuration of each pruned layer, by name */
    Map<String, Layer> layerConfs() {
        return Collections.unmodifiableMap(layerConfs);
    }

    /** @return the hook target of each pruned layer, by name */
    Map<String, LayerHooks> layerHooks() {
        return Collections.unmodifiableMap(layerHooks);
    }

    PruningListener listener() {
        return listener;
    }

    void observer(TopologyObserver observer) {
        this.observer = observer;
    }
}
