package org.rpg4j.dl4j.hooks;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Last {@code POST_UPDATER} regularization of a pruned layer: multiplies the update (the updater's
 * output, after weight decay) of its pruned tensors by their masks, so that {@code params -= update}
 * leaves pruned weights at exactly 0.0 whatever the updater's momentum.
 */
public final class MaskUpdates extends RpgRegularization {
    private static final long serialVersionUID = 1L;

    /** For JSON deserialisation. */
    public MaskUpdates() {}

    /** @param layerName the owning layer's name */
    public MaskUpdates(String layerName) {
        super(layerName);
    }

    @Override
    public ApplyStep applyStep() {
        return ApplyStep.POST_UPDATER;
    }

    @Override
    public void apply(INDArray param, INDArray gradView, double lr, int iteration, int epoch) {
        hooks().maskUpdates();
    }

    @Override
    public MaskUpdates clone() {
        return new MaskUpdates(layerName());
    }
}
