package org.rpg4j.examples.train;

import org.deeplearning4j.nn.graph.ComputationGraph;

/** Attaches the pruning of a {@link Method} to a network. */
public final class PruningHooks {
    private PruningHooks() {}

    /**
     * @param method the method; {@link Method#DENSE} attaches nothing
     * @param net the initialised network, before training
     * @param settings the pruning options
     * @param totalIterations iterations of the whole run
     * @return the attached hook
     * @throws UnsupportedOperationException if the method needs the rpg4j DL4J adapter and it is not available
     */
    public static PruningHook attach(Method method, ComputationGraph net, PruningSettings settings,
                                     long totalIterations) {
        if (method == Method.DENSE) {
            return PruningHook.none();
        }
        throw new UnsupportedOperationException("method " + method.cliName() + " needs the rpg4j DL4J adapter "
                + "(org.rpg4j.dl4j.Dl4jPruning), which this build does not contain yet; use --method dense");
    }
}
