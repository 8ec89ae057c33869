package org.rpg4j.dl4j.hooks;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Last {@code BEFORE_UPDATER} regularization of a pruned layer: multiplies the gradient of its
 * pruned tensors by their masks, after every other pre-updater term, so that the updater never sees
 * a non-zero gradient at a pruned position and its state stays zero there.
 */
public final class MaskGradients extends RpgRegularization {
    private static final long serialVersionUID = 1L;

    /** For JSON deserialisation. */
    public MaskGradients() {}

    /** @param layerName the owning layer's name */
    public MaskGradients(String layerName) {
        super(layerName);
    }

    @Override
    public ApplyStep applyStep() {
        return ApplyStep.BEFORE_UPDATER;
    }

    @Override
    public void apply(INDArray param, INDArray gradView, double lr, int iteration, int epoch) {
        hooks().maskGradients();
    }

    @Override
    public MaskGradients clone() {
        return new MaskGradients(layerName());
    }
}
