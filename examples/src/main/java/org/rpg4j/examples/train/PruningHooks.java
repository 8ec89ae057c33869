package org.rpg4j.examples.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.rpg4j.examples.cli.PruningOptions;
import org.rpg4j.prune.PruningConfig;

/** Attaches the pruning of a {@link Method} to a network: nothing for dense, rpg4j's DL4J adapter otherwise. */
public final class PruningHooks {
    private PruningHooks() {}

    /**
     * @param method the method
     * @param targetSparsity the run's target sparsity
     * @param options the pruning options
     * @param seed seed of the pruner's random choices
     * @param totalIterations iterations of the whole run
     * @return the method's validated rpg4j configuration; empty for {@link Method#DENSE}
     * @throws org.rpg4j.prune.PruningConfigException naming the builder's settings if a value is
     *     invalid (for example a deltaT too large for the run's iterations)
     */
    public static Optional<PruningConfig> config(Method method, double targetSparsity, PruningOptions options,
                                                 long seed, long totalIterations) {
        return method == Method.DENSE ? Optional.empty()
                : Optional.of(AdapterPruning.config(method, targetSparsity, options, seed, totalIterations));
    }

    /**
     * A network and its pruning loaded from a model zip written by {@link PruningHook#save}.
     *
     * @param network the loaded network, with its updater state and iteration and epoch counters
     * @param hook the pruning bound to it, continuing where the saved run stopped
     */
    public record Restored(ComputationGraph network, PruningHook hook) {}

    /**
     * Loads a network saved by {@link PruningHook#save} and continues its pruning.
     *
     * @param method the method the zip was saved with; {@link Method#DENSE} loads a plain DL4J model
     * @param zip the model zip
     * @return the network and its hook
     * @throws IOException if the zip cannot be read
     * @throws IllegalArgumentException if the zip holds no ComputationGraph
     * @throws org.rpg4j.prune.PruningStateException if a pruning method's masks or state are missing or corrupt
     */
    public static Restored restore(Method method, Path zip) throws IOException {
        if (method == Method.DENSE) {
            return new Restored(ModelSerializer.restoreComputationGraph(zip.toFile(), true), PruningHook.none());
        }
        return AdapterPruning.restore(method, zip);
    }

    /**
     * @param method the method; {@link Method#DENSE} attaches nothing
     * @param net the initialised network, before training
     * @param config the method's configuration from {@link #config}; empty for dense training
     * @return the attached hook
     */
    public static PruningHook attach(Method method, ComputationGraph net, Optional<PruningConfig> config) {
        return config.<PruningHook>map(c -> AdapterPruning.attach(method, net, c)).orElse(PruningHook.none());
    }
}
