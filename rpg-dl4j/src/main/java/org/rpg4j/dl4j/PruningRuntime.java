package org.rpg4j.dl4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.dl4j.hooks.LayerHooks;
import org.rpg4j.prune.Pruner;
import org.rpg4j.prune.RankStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one {@link Pruner} from DL4J's hooks, iteration by iteration (DL4J's 0-based iteration
 * count minus the count at attach is the pruner's iteration):
 *
 * <ol>
 *   <li>listener, after backprop: at an update iteration, snapshot parameters and updater state;
 *   <li>first regularization of each pruned layer: at an update iteration capture the dense
 *       gradient (batch mean, before L1/L2 and masking); in regulariser mode add the rank gradient;
 *   <li>last pre-updater and last post-updater regularizations: gradient and update times mask;
 *   <li>listener, after {@code params -= update}: at an update iteration undo the step, run the
 *       topology update, refresh the cached masks and zero the updater state at masked positions.
 * </ol>
 *
 * The hot path does no allocation proportional to the model: two in-place multiplications per
 * pruned tensor, skipped while a tensor has no pruned weight.
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
    private final PruningListener listener = new PruningListener(this);
    private final NetworkViews views;
    private int listenerIteration = Integer.MIN_VALUE;
    private int planIteration = Integer.MIN_VALUE;
    private boolean planUpdate;
    private boolean planRank;
    private int rankIteration = Integer.MIN_VALUE;
    private RankStep rankStep;
    private boolean finished;
    private TopologyObserver observer;

    PruningRuntime(NetworkAdapter net, Pruner pruner, LayerDiscovery.Result found, long iterationOffset) {
        this.net = net;
        this.pruner = pruner;
        this.bindings = found.bindings();
        this.layerConfs = found.layers();
        this.iterationOffset = iterationOffset;
        this.views = new NetworkViews(net, pruner, bindings);
        for (TensorBinding b : bindings) {
            weights.put(b.name(), b.weights());
            captured.put(b.name(), b.captured());
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

    /** Listener: after backprop, before the updater. */
    void beforeUpdater() {
        if (finished) {
            return;
        }
        int iteration = net.iterationCount();
        listenerIteration = iteration;
        views.sync();
        plan(iteration);
        if (planUpdate) {
            views.skippedStep().snapshot(iteration);
        }
    }

    /** Listener: after {@code params -= update}, before DL4J increments its iteration count. */
    void afterStep(int iteration) {
        if (finished) {
            return;
        }
        plan(iteration);
        if (!planUpdate) {
            return;
        }
        views.skippedStep().restore(iteration);
        long pruningIteration = iteration - iterationOffset;
        if (observer != null) {
            observer.beforeTopologyUpdate(pruningIteration, Collections.unmodifiableMap(weights),
                    Collections.unmodifiableMap(captured));
        }
        pruner.updateTopology(pruningIteration, weights, captured);
        views.syncMasks();
        bindings.forEach(TensorBinding::maskState);
    }

    /**
     * Runs once per layer and iteration, before the layer's other regularizations: captures the
     * dense gradients at an update iteration, adds the rank gradient in regulariser mode.
     */
    void beforeRegularizations(List<TensorBinding> tensors, int iteration) {
        checkListener(iteration);
        plan(iteration);
        if (planUpdate) {
            tensors.forEach(TensorBinding::capture);
        } else if (planRank) {
            RankStep step = rankStep(iteration);
            for (TensorBinding t : tensors) {
                step.addGradientInPlace(t.name(), t.gradient());
            }
        }
    }

    private void checkListener(int iteration) {
        if (listenerIteration == iteration) {
            return;
        }
        plan(iteration);
        if (planUpdate) {
            throw new IllegalStateException("rpg4j's training listener did not run at iteration " + iteration
                    + ", a topology-update iteration: it was removed from the network (setListeners replaces all "
                    + "listeners; use addListeners after Dl4jPruning.attach)");
        }
        LOG.warn("rpg4j's training listener was removed from the network (setListeners replaces all listeners; "
                + "use addListeners after Dl4jPruning.attach): adding it back at iteration {}", iteration);
        listenerIteration = iteration;
        net.addListenerFirst(listener);
    }

    private void plan(int iteration) {
        if (planIteration == iteration) {
            return;
        }
        long p = iteration - iterationOffset;
        planUpdate = p >= 0 && pruner.isUpdateIteration(p);
        planRank = p >= 0 && pruner.addsRankGradient(p);
        planIteration = iteration;
    }

    private RankStep rankStep(int iteration) {
        if (rankIteration != iteration) {
            rankStep = NetworkViews.outsideWorkspaces(() -> pruner.rankStep(weights));
            rankIteration = iteration;
        }
        return rankStep;
    }

    /** Makes the masks permanent in the weights and removes every hook and the listener. */
    void finish() {
        requireActive();
        views.sync();
        pruner.applyMasksInPlace(weights);
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
