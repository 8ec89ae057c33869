package org.rpg4j.dl4j.hooks;

/**
 * What the regularization hooks of one layer ask the pruning runtime to do. Implemented inside
 * rpg4j; public only because the hook classes must be public for DL4J's JSON serialisation.
 */
public interface LayerHooks {
    /**
     * Called before any other regularization of the layer, once per weight parameter: captures the
     * dense gradients at an update iteration, adds the rank gradient in regulariser mode (once per
     * iteration, whatever the number of calls).
     *
     * @param iteration DL4J's 0-based iteration count
     */
    void beforeRegularizations(int iteration);

    /** Multiplies the gradient views of the layer's pruned tensors by their masks (idempotent). */
    void maskGradients();

    /**
     * Multiplies the updates (the updater's output, in the gradient views) of the layer's pruned
     * tensors by their masks, and their updater state too when the updater does not keep zero state
     * at zero gradient (idempotent).
     */
    void maskUpdates();
}
