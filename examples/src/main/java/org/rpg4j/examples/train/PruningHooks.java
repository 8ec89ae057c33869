package org.rpg4j.examples.train;

import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/** Attaches the pruning of a {@link Method} to a network: nothing for dense, rpg4j's DL4J adapter otherwise. */
public final class PruningHooks {
    private PruningHooks() {}

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
     * @param settings the pruning options
     * @param totalIterations iterations of the whole run
     * @return the attached hook
     * @throws IllegalArgumentException if the settings do not make a valid rpg4j configuration (for
     *     example a deltaT too large for the run's iterations)
     */
    public static PruningHook attach(Method method, ComputationGraph net, PruningSettings settings,
                                     long totalIterations) {
        if (method == Method.DENSE) {
            return PruningHook.none();
        }
        return AdapterPruning.attach(method, net, settings, totalIterations);
    }
}
