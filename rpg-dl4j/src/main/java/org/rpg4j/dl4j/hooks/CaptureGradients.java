package org.rpg4j.dl4j.hooks;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * First regularization of a pruned layer ({@code BEFORE_UPDATER}, index 0): checks that the
 * parameter it is handed belongs to the network rpg4j is attached to, and stands in for rpg4j's
 * training listener if that listener was removed (the listener captures the dense gradient, adds
 * the rank gradient and masks, before DL4J's gradient normalisation). The gradient argument is
 * ignored: DL4J's per-parameter views are misaligned for some layers (see
 * {@code UpdaterStateSlices}), so the runtime works on views it located itself.
 */
public final class CaptureGradients extends RpgRegularization {
    private static final long serialVersionUID = 1L;

    /** For JSON deserialisation. */
    public CaptureGradients() {}

    /** @param layerName the owning layer's name */
    public CaptureGradients(String layerName) {
        super(layerName);
    }

    @Override
    public ApplyStep applyStep() {
        return ApplyStep.BEFORE_UPDATER;
    }

    @Override
    public void apply(INDArray param, INDArray gradView, double lr, int iteration, int epoch) {
        hooks().beforeRegularizations(iteration, param);
    }

    @Override
    public CaptureGradients clone() {
        return new CaptureGradients(layerName());
    }
}
