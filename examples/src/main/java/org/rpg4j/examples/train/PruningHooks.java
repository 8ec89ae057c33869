package org.rpg4j.examples.train;

import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;
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
     * @param method the method; {@link Method#DENSE} attaches nothing
     * @param net the initialised network, before training
     * @param config the method's configuration from {@link #config}; empty for dense training
     * @return the attached hook
     */
    public static PruningHook attach(Method method, ComputationGraph net, Optional<PruningConfig> config) {
        return config.<PruningHook>map(c -> AdapterPruning.attach(method, net, c)).orElse(PruningHook.none());
    }
}
