package org.rpg4j.dl4j;

/**
 * What rpg4j does with a layer that DL4J wraps in another (at run time a subclass of DL4J's
 * {@code org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer}; in 1.0.0-M2.1: {@code FrozenLayer}
 * and {@code FrozenLayerWithBackprop}, which {@code TransferLearning} creates, and the recurrent
 * wrappers {@code MaskZeroLayer}, {@code LastTimeStepLayer} and {@code TimeDistributedLayer}). A
 * wrapped layer that is not pruned is listed in {@link Pruning#unsupportedLayers()} and the report
 * with the reason; it never makes {@code UnsupportedLayerPolicy.STRICT} fail.
 */
public enum WrappedLayerPolicy {
    /** Leave every wrapped layer dense (the default). */
    EXCLUDE,
    /**
     * Prune the weights of trainable wrapped layers (their wrapper only changes inputs or outputs, the
     * wrapped layer trains as usual). A frozen layer cannot be pruned: it gets no optimizer step, so
     * pruned weights could never regrow and the rank loss could not act; attach throws naming it.
     */
    PRUNE_TRAINABLE
}
