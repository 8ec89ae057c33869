package org.rpg4j.dl4j;

import java.io.File;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.prune.Pruner;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.PruningStateException;

/**
 * A pruning run whose pruner is driven by a distributed training engine (ParallelWrapper, Spark)
 * rather than by rpg4j's hooks: one {@link Pruner} (masks, schedule, RNG) for the root network,
 * which the engine's replicas follow through {@link ReplicaTensors}. Unlike {@link Dl4jPruning},
 * nothing is installed in the network's configuration (its JSON, which engines copy to build
 * replicas, stays free of rpg4j hooks) and no listener is added.
 *
 * <p>A run saved with {@link #save} is the same archive as {@link Pruning#save}: either
 * {@link Dl4jPruning#restore(File)} or {@link #restore(File, PrunableLayers)} continues it.
 */
public final class DetachedRun {
    private final NetworkAdapter root;
    private final Pruner pruner;
    private final PruningConfig config;
    private final long iterationOffset;
    private final List<String> unsupportedLayers;

    private DetachedRun(NetworkAdapter root, Pruner pruner, PruningConfig config, long iterationOffset,
                        List<String> unsupportedLayers) {
        this.root = root;
        this.pruner = pruner;
        this.config = config;
        this.iterationOffset = iterationOffset;
        this.unsupportedLayers = List.copyOf(unsupportedLayers);
    }

    /**
     * Finds the prunable weights of {@code root}, creates the pruner and applies its initial masks
     * to the root's weights. The pruning iteration 0 is the root's next iteration. Logs a warning if
     * the topology updates skip more than {@link PruningConfig#WARN_SKIPPED_STEP_FRACTION} of the
     * run's optimizer steps.
     *
     * @param root an initialised {@code MultiLayerNetwork} or {@code ComputationGraph}; its weights are modified
     * @param config the pruning run
     * @param layers which layer configurations hold prunable weights
     * @return the run
     * @throws IllegalArgumentException if an argument is null, the network is of another type or has
     *     no prunable weight, or a selected layer is unsupported under STRICT
     * @throws IllegalStateException if the network is not initialised or carries rpg4j hooks
     */
    public static DetachedRun attach(Model root, PruningConfig config, PrunableLayers layers) {
        requireNonNull("config", config);
        requireNonNull("layers", layers);
        NetworkAdapter net = NetworkAdapter.of(root);
        for (org.deeplearning4j.nn.api.Layer l : net.layers()) {
            Layer conf = l.conf().getLayer();
            if (HookInstaller.hasHooks(conf)) {
                throw new IllegalStateException("layer '" + conf.getLayerName() + "' carries rpg4j hooks (from "
                        + "Dl4jPruning.attach or a saved run): distributed pruning needs a network without them; "
                        + "finish() the single-JVM run, or restore a saved run with the distributed restore");
            }
        }
        LayerDiscovery.Result found = LayerDiscovery.discover(net, config, layers);
        PruningRuntime.warnIfManyStepsSkipped(config);
        Pruner pruner = Pruner.create(config, found.bindings().stream().map(TensorBinding::tensor).toList());
        Map<String, INDArray> weights = new LinkedHashMap<>();
        found.bindings().forEach(b -> weights.put(b.name(), b.weights()));
        pruner.initialise(weights);
        return new DetachedRun(net, pruner, config, net.iterationCount(), found.unsupported());
    }

    /**
     * Loads a network saved by {@link #save} or {@link Pruning#save} (with its updater state) and
     * continues its pruning run; rpg4j hooks in the saved configuration are removed.
     *
     * @param modelZip the saved model
     * @param layers the registrations used when the run was attached
     * @return the run; {@link #network()} is the loaded network
     * @throws PruningStateException if the pruning entries are missing, corrupt, or do not fit the network
     * @throws IOException if the model cannot be read
     */
    public static DetachedRun restore(File modelZip, PrunableLayers layers) throws IOException {
        requireNonNull("modelZip", modelZip);
        requireNonNull("layers", layers);
        PruningArchive.Saved saved = PruningArchive.read(modelZip);
        Model loaded = PruningArchive.holdsGraph(modelZip) ? ModelSerializer.restoreComputationGraph(modelZip, true)
                : ModelSerializer.restoreMultiLayerNetwork(modelZip, true);
        NetworkAdapter net = NetworkAdapter.of(loaded);
        for (org.deeplearning4j.nn.api.Layer l : net.layers()) {
            HookInstaller.remove(l.conf().getLayer());
        }
        LayerDiscovery.Result found = LayerDiscovery.discover(net, saved.config(), layers);
        Pruner pruner = Pruner.restore(saved.config(),
                found.bindings().stream().map(TensorBinding::tensor).toList(), saved.state());
        return new DetachedRun(net, pruner, saved.config(), saved.iterationOffset(), found.unsupported());
    }

    /**
     * Writes the root network (configuration, weights, optionally the updater state) and the pruning
     * configuration and state. Call it between {@code fit} calls, when the root holds the state all
     * replicas agree on.
     *
     * @param file the model zip to write (replaced if it exists)
     * @param saveUpdater whether to save the updater state (needed for an exact resume)
     * @throws IOException if writing fails
     * @throws IllegalArgumentException if {@code file} is null
     */
    public void save(File file, boolean saveUpdater) throws IOException {
        requireNonNull("file", file);
        PruningArchive.write(file, root, saveUpdater, config, pruner.state(), iterationOffset);
    }

    /**
     * @return whether a topology update's own optimizer step is skipped (the reference skips it when
     *     the update regrows: regrowth enabled and a drop fraction above 0)
     */
    public boolean skipsStepAtUpdate() {
        return PruningRuntime.regrows(config);
    }

    /** @return the pruning iteration the root's next iteration is (root iteration count minus the offset) */
    public long nextIteration() {
        return root.iterationCount() - iterationOffset;
    }

    /** @return the root network (a {@code MultiLayerNetwork} or {@code ComputationGraph}) */
    public Model network() {
        return root.model();
    }

    /** @return the run's pruner (masks, schedule, state) */
    public Pruner pruner() {
        return pruner;
    }

    /** @return the run's configuration */
    public PruningConfig config() {
        return config;
    }

    /** @return the root's iteration count that is pruning iteration 0 */
    public long iterationOffset() {
        return iterationOffset;
    }

    /** @return selected layers with weights rpg4j cannot prune, as "name (class): reason" */
    public List<String> unsupportedLayers() {
        return unsupportedLayers;
    }

    private static void requireNonNull(String name, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }
}
