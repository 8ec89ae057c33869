package org.rpg4j.dl4j;

/**
 * Training produced a NaN or infinite loss, gradient or weight. rpg4j stops the run at the
 * iteration where it first sees one (rather than mask, prune or regrow on garbage): the exception
 * leaves DL4J's {@code fit} and names the iteration and, where it can be found, the first layer and
 * parameter holding a non-finite value. The network is left as it was at that point; continue from
 * the last checkpoint saved with {@link Pruning#save} after lowering the learning rate or clipping
 * gradients.
 */
public final class TrainingDivergedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** What turned non-finite. */
    public enum Quantity {
        /** the score DL4J computed for the minibatch */
        LOSS,
        /** a gradient, before DL4J's updater */
        GRADIENT,
        /** a parameter, after the optimizer step */
        WEIGHT
    }

    private final transient Quantity quantity;
    private final int iteration;
    private final String layer;
    private final String parameter;

    TrainingDivergedException(Quantity quantity, int iteration, String layer, String parameter, String message) {
        super(message);
        this.quantity = quantity;
        this.iteration = iteration;
        this.layer = layer;
        this.parameter = parameter;
    }

    /** @return what was found non-finite */
    public Quantity quantity() {
        return quantity;
    }

    /** @return DL4J's 0-based iteration count at which it was found */
    public int iteration() {
        return iteration;
    }

    /** @return name of the first layer holding a non-finite value, or null if none could be named */
    public String layer() {
        return layer;
    }

    /** @return key of that layer's parameter (e.g. {@code W}), or null */
    public String parameter() {
        return parameter;
    }
}
