package org.rpg4j.dl4j;

import java.io.File;
import java.io.IOException;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.util.ModelSerializer;
import org.rpg4j.prune.PrunableTensor;
import org.rpg4j.prune.Pruner;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.PruningStateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry points: attach RPG to a DL4J network, or restore a saved run.
 *
 * <pre>{@code
 * Pruning pruning = Dl4jPruning.attach(net, PruningConfig.builder(0.95, epochs * itersPerEpoch)
 *         .rankLoss(RankLoss.lambda(3.0).partialK(0.2)).build());
 * net.fit(trainIterator, epochs);              // the user's loop stays as it is
 * System.out.println(pruning.report());
 * pruning.finish();                             // plain DL4J network, zeros in place
 * }</pre>
 *
 * The pruner's iteration 0 is the network's first iteration after attach. Add further listeners with
 * {@code addListeners}: {@code setListeners} drops rpg4j's listener (rpg4j puts it back at the next
 * iteration with a warning, or fails if that iteration is a topology update).
 *
 * <p>What the DL4J hooks imply:
 * <ul>
 *   <li>the dense gradient rpg4j captures is the mean over the minibatch (whatever
 *       {@code miniBatch} says), taken before DL4J's gradient normalisation or clipping and before
 *       L1/L2; the gradient is masked before the normalisation sees it, as in the reference;
 *   <li>at a topology-update iteration that regrows, DL4J still runs its updater; rpg4j copies the
 *       trainable parameters and the updater state before and puts them back after (one extra copy
 *       of each, allocated at the first update); batch-norm running statistics keep that
 *       iteration's update. When nothing regrows, the step is taken;
 *   <li>a NaN or infinite loss, gradient or weight stops training with a
 *       {@link TrainingDivergedException};
 *   <li>the rank loss is not part of the score DL4J reports;
 *   <li>a network cloned by DL4J ({@code net.clone()}, {@code ParallelWrapper}, early stopping's
 *       in-memory saver) carries unbound hooks, one built from the same configuration object
 *       carries the bound hooks: either predicts normally but refuses to train;
 *   <li>see {@code docs/dl4j.md} for every DL4J construct rpg4j handles or refuses.
 * </ul>
 */
public final class Dl4jPruning {
    private static final Logger LOG = LoggerFactory.getLogger(Dl4jPruning.class);

    private Dl4jPruning() {}

    /**
     * Same as {@code attach(net, config, PrunableLayers.defaults())}.
     *
     * @param net the network to prune (a {@code MultiLayerNetwork} or {@code ComputationGraph})
     * @param config the pruning configuration
     * @return the handle of the pruning run
     */
    public static Pruning attach(Model net, PruningConfig config) {
        return attach(net, config, PrunableLayers.defaults());
    }

    /**
     * Attaches RPG to an initialised network: finds the prunable weights, builds the initial masks
     * (all kept for the default schedules), installs the hooks in the layer configurations and the
     * listener. The network's configuration, weights and listeners are modified. Logs a warning if
     * the topology updates skip more than {@link PruningConfig#WARN_SKIPPED_STEP_FRACTION} of the
     * run's optimizer steps ({@link PruningConfig#skippedSteps()}).
     *
     * @param net an initialised {@code MultiLayerNetwork} or {@code ComputationGraph}
     * @param config the pruning run
     * @param layers which layer configurations hold prunable weights
     * @return the handle of the run
     * @throws IllegalArgumentException if an argument is null, the network is of another type, it has
     *     no prunable weight, layer names repeat, or a selected layer is unsupported under STRICT
     * @throws IllegalStateException if the network is not initialised or already carries rpg4j hooks
     */
    public static Pruning attach(Model net, PruningConfig config, PrunableLayers layers) {
        requireNonNull("config", config);
        requireNonNull("layers", layers);
        NetworkAdapter adapter = NetworkAdapter.of(net);
        for (org.deeplearning4j.nn.api.Layer l : adapter.layers()) {
            Layer conf = l.conf().getLayer();
            Object bound = HookInstaller.boundNetwork(conf);
            if (bound == net) {
                throw new IllegalStateException("rpg4j is already attached to this network (layer '"
                        + conf.getLayerName() + "'): attach once, or finish() the previous run first");
            }
            if (bound != null) {
                throw new IllegalStateException("this network shares its layer configurations with another network "
                        + "that rpg4j is attached to (layer '" + conf.getLayerName() + "'): both were built from the "
                        + "same configuration object. Build each network from its own "
                        + "configuration (conf.clone() before new MultiLayerNetwork/ComputationGraph)");
            }
            if (HookInstaller.hasHooks(conf)) {
                throw new IllegalStateException("this network carries rpg4j hooks from a saved pruning run (layer '"
                        + conf.getLayerName() + "'): continue it with Dl4jPruning.restore(...)");
            }
        }
        LayerDiscovery.Result found = LayerDiscovery.discover(adapter, config, layers);
        PruningRuntime.warnIfManyStepsSkipped(config);
        Pruner pruner = Pruner.create(config, tensors(found));
        PruningRuntime runtime = new PruningRuntime(adapter, pruner, found, adapter.iterationCount());
        pruner.initialise(runtime.weights());
        runtime.start();
        return new Pruning(runtime, config, found.unsupported());
    }

    /**
     * Same as {@code restore(modelZip, PrunableLayers.defaults())}.
     *
     * @param modelZip the saved model
     * @return the handle; {@link Pruning#network()} is the loaded network
     * @throws IOException if the model cannot be read
     */
    public static Pruning restore(File modelZip) throws IOException {
        return restore(modelZip, PrunableLayers.defaults());
    }

    /**
     * Loads a network saved by {@link Pruning#save} (with its updater state) and continues its
     * pruning run where it stopped.
     *
     * @param modelZip the saved model
     * @param layers the registrations used when the run was attached
     * @return the handle; {@link Pruning#network()} is the loaded network
     * @throws PruningStateException if the pruning entries are missing, corrupt, or do not fit the network
     * @throws IOException if the model cannot be read
     */
    public static Pruning restore(File modelZip, PrunableLayers layers) throws IOException {
        requireNonNull("modelZip", modelZip);
        PruningArchive.Saved saved = PruningArchive.read(modelZip);
        Model net = PruningArchive.holdsGraph(modelZip) ? ModelSerializer.restoreComputationGraph(modelZip, true)
                : ModelSerializer.restoreMultiLayerNetwork(modelZip, true);
        return bind(net, saved, layers);
    }

    /**
     * Continues the pruning run saved in {@code modelZip} on a network already loaded from it (for
     * example with {@code ModelSerializer}); any rpg4j hooks it carries are replaced.
     *
     * @param net the network loaded from {@code modelZip} (a {@code MultiLayerNetwork} or {@code ComputationGraph})
     * @param modelZip the saved model holding the pruning entries
     * @param layers the registrations used when the run was attached
     * @return the handle; {@link Pruning#network()} is {@code net}
     * @throws PruningStateException if the pruning entries are missing, corrupt, or do not fit the network
     * @throws IllegalStateException if the network is attached to a live pruning run
     */
    public static Pruning restore(Model net, File modelZip, PrunableLayers layers) {
        requireNonNull("modelZip", modelZip);
        return bind(net, PruningArchive.read(modelZip), layers);
    }

    private static Pruning bind(Model net, PruningArchive.Saved saved, PrunableLayers layers) {
        requireNonNull("layers", layers);
        NetworkAdapter adapter = NetworkAdapter.of(net);
        for (org.deeplearning4j.nn.api.Layer l : adapter.layers()) {
            Layer conf = l.conf().getLayer();
            if (HookInstaller.hasBoundHooks(conf)) {
                throw new IllegalStateException("this network is attached to a live pruning run (layer '"
                        + conf.getLayerName() + "'): use that Pruning handle");
            }
            HookInstaller.remove(conf);
        }
        LayerDiscovery.Result found = LayerDiscovery.discover(adapter, saved.config(), layers);
        Pruner pruner = Pruner.restore(saved.config(), tensors(found), saved.state());
        PruningRuntime runtime = new PruningRuntime(adapter, pruner, found, saved.iterationOffset());
        runtime.start();
        LOG.info("rpg4j restored: {} tensors, sparsity {}, pruning iteration {}", found.bindings().size(),
                pruner.sparsity(), adapter.iterationCount() - saved.iterationOffset());
        return new Pruning(runtime, saved.config(), found.unsupported());
    }

    private static List<PrunableTensor> tensors(LayerDiscovery.Result found) {
        return found.bindings().stream().map(TensorBinding::tensor).toList();
    }

    private static void requireNonNull(String name, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }
}
