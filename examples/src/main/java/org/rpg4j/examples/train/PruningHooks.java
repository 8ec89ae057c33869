package org.rpg4j.examples.train;

import org.deeplearning4j.nn.graph.ComputationGraph;

/** Attaches the pruning of a {@link Method} to a network: nothing for dense, rpg4j's DL4J adapter otherwise. */
public final class PruningHooks {
    private PruningHooks() {}

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
