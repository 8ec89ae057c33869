package org.rpg4j.dl4j.structured;

import org.deeplearning4j.nn.api.Model;
import org.rpg4j.dl4j.graph.ChannelDependencies;

/**
 * Implemented by a {@link org.rpg4j.structured.ChannelCriterion} that must act during training (Network
 * Slimming's L1 penalty on batch-norm gamma, SSL's group lasso): {@link StructuredPruning#attach}
 * installs it, {@link StructuredRun#finish()} removes it before the network is scored and shrunk.
 * Install DL4J hooks as rpg4j's unstructured pruning does (a per-layer {@code Regularization} with
 * {@code BEFORE_UPDATER}, attached after {@code init()}; see the notes on DL4J hooks).
 */
public interface TrainingHook {
    /**
     * @param net the network that will train (its configuration may be modified)
     * @param deps its channel groups
     */
    void install(Model net, ChannelDependencies deps);

    /** @param net the network: removes everything {@link #install} added */
    void remove(Model net);
}
