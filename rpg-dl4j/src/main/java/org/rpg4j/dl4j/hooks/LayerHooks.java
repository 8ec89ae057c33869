package org.rpg4j.dl4j.hooks;

/**
 * What the regularization hooks of one layer ask the pruning runtime to do. Implemented inside
 * rpg4j; public only because the hook classes must be public for DL4J's JSON serialisation.
 */
public interface LayerHooks {
    /**
     * Called before any other regularization of the layer, once per weight parameter: checks that
     * the parameter belongs to the network the hooks are bound to (a network built from the same
     * configuration object, or cloned, shares the hooks), and stands in for rpg4j's training
     * listener if DL4J's listener list lost it.
     *
     * @param iteration DL4J's 0-based iteration count
     * @param param the parameter DL4J hands to the regularization (a view of its network's
     *     parameters); not modified
     * @throws IllegalStateException if the parameter belongs to another network
     */
    void beforeRegularizations(int iteration, org.nd4j.linalg.api.ndarray.INDArray param);

    /** @return the network ({@code MultiLayerNetwork} or {@code ComputationGraph}) these hooks prune */
    Object network();

    /** Multiplies the gradient views of the layer's pruned tensors by their masks (idempotent). */
    void maskGradients();

    /**
     * Multiplies the updates (the updater's output, in the gradient views) of the layer's pruned
     * tensors by their masks, and their updater state too when the updater does not keep zero state
     * at zero gradient (idempotent).
     */
    void maskUpdates();
}
