package org.rpg4j.dl4j;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.prune.PrunableTensor;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.PruningReport;
import org.rpg4j.prune.UpdateSummary;

/**
 * The handle of one pruning run attached to a DL4J network (from {@link Dl4jPruning#attach} or
 * {@link Dl4jPruning#restore}). The network trains as usual; this handle reports, saves and
 * finally {@link #finish() finishes} the run. Not thread-safe (neither is DL4J's {@code fit}).
 */
public final class Pruning {
    private final PruningRuntime runtime;
    private final PruningConfig config;
    private final List<String> unsupportedLayers;

    Pruning(PruningRuntime runtime, PruningConfig config, List<String> unsupportedLayers) {
        this.runtime = runtime;
        this.config = config;
        this.unsupportedLayers = List.copyOf(unsupportedLayers);
    }

    /** @return the pruned network (a {@code MultiLayerNetwork} or {@code ComputationGraph}) */
    public Model network() {
        return runtime.network().model();
    }

    /**
     * @return the configuration of this pruning run
     */
    public PruningConfig config() {
        return config;
    }

    /** @return the pruned tensors in flat-parameter order; names are {@code layerName + "/" + paramKey} */
    public List<PrunableTensor> tensors() {
        return runtime.pruner().tensors();
    }

    /** @return selected layers with weights rpg4j cannot prune, as "name (class): reason" */
    public List<String> unsupportedLayers() {
        return unsupportedLayers;
    }

    /** @return pruning iterations completed since attach (DL4J's iteration count minus its value at attach) */
    public long iteration() {
        return runtime.network().iterationCount() - runtime.iterationOffset();
    }

    /**
     * @return whether the schedule's density has reached the target density for the iterations
     *     completed so far (from then on updates only drop and regrow); false for a schedule whose
     *     updates never reach the target
     */
    public boolean reachedTarget() {
        org.rpg4j.schedule.PruningSchedule schedule = runtime.pruner().schedule();
        return schedule.density(iteration() - 1) == schedule.targetDensity();
    }

    /** @return fraction of masked weights over all pruned tensors, in [0, 1] */
    public double sparsity() {
        return runtime.pruner().sparsity();
    }

    /**
     * @param tensorName a name from {@link #tensors()}
     * @return the tensor's current mask (1 kept, 0 pruned), logical shape, C order; read-only
     * @throws IllegalArgumentException if no tensor has that name
     */
    public INDArray mask(String tensorName) {
        return runtime.pruner().mask(tensorName);
    }

    /** @return the last topology update, if one ran since attach or restore */
    public Optional<UpdateSummary> lastUpdate() {
        return runtime.pruner().lastUpdate();
    }

    /**
     * Per pruned tensor: name, DL4J layer type, shape, parameters, non-zeros, sparsity, delta-rank
     * and last chosen k; the global sparsity; the unsupported layers. Readable with
     * {@code toString()}, machine-readable with {@code toJson()}. Also valid after {@link #finish()}.
     *
     * @return the report, computed from the current weights (not modified)
     */
    public PruningReport report() {
        return runtime.pruner().report(runtime.weights()).withUnsupportedLayers(unsupportedLayers);
    }

    /**
     * Saves network, updater state and pruning state; same as {@code save(file, true)}.
     *
     * @param file the model file to write
     * @throws IOException if the file cannot be written
     */
    public void save(File file) throws IOException {
        save(file, true);
    }

    /**
     * Writes the network with {@code ModelSerializer} plus two object entries holding the pruning
     * configuration and state, so that {@link Dl4jPruning#restore(File)} continues the run exactly.
     * The saved configuration carries the rpg4j hooks: loading it needs rpg4j on the classpath, and
     * training it without {@code restore} fails loudly rather than silently train dense.
     *
     * <p>Exact from anywhere: called between {@code fit} calls, or from a listener's
     * {@code iterationDone} or {@code onEpochEnd} (where DL4J has taken the step but not yet counted
     * the iteration or epoch), the saved counters are those the next iteration will see, so a
     * restored run continues bit-identically. DL4J's own {@code ModelSerializer.writeModel} and
     * {@code CheckpointListener} keep neither the masks nor the pruner state: a model saved with them
     * cannot be restored with {@link Dl4jPruning#restore} (it says so) and cannot train while it
     * carries rpg4j's hooks.
     *
     * @param file the model zip to write (replaced if it exists)
     * @param saveUpdater whether to save the updater state (needed for an exact resume)
     * @throws IOException if writing fails
     * @throws IllegalStateException if this handle is finished
     */
    public void save(File file, boolean saveUpdater) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file must not be null");
        }
        runtime.requireActive();
        NetworkAdapter net = runtime.network();
        int iterations = net.iterationCount();
        int epochs = net.epochCount();
        long[] counts = runtime.countsToSave();
        net.setCounts((int) counts[0], (int) counts[1]);
        try {
            PruningArchive.write(file, net, saveUpdater, config, runtime.pruner().state(), runtime.iterationOffset());
        } finally {
            net.setCounts(iterations, epochs);
        }
    }

    /**
     * Ends the run: masked weights are zero (they already are), their updater state too, and every
     * rpg4j regularization and the listener are removed, leaving a plain DL4J network that saves
     * and loads with {@code ModelSerializer} without rpg4j on the classpath. Training it further
     * trains it dense from the pruned weights.
     *
     * @throws IllegalStateException if already finished
     */
    public void finish() {
        runtime.finish();
    }

    /** @return whether {@link #finish()} was called */
    public boolean isFinished() {
        return runtime.finished();
    }

    PruningRuntime runtime() {
        return runtime;
    }

    /** Test hook: sees each topology update's inputs. */
    void observer(TopologyObserver observer) {
        runtime.observer(observer);
    }

    @Override
    public String toString() {
        return "Pruning{" + tensors().size() + " tensors, sparsity " + sparsity() + (isFinished() ? ", finished" : "")
                + "}";
    }
}
