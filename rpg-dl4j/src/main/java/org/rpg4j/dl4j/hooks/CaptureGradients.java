package org.rpg4j.dl4j.hooks;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * First regularization of a pruned layer ({@code BEFORE_UPDATER}, index 0): at an update iteration
 * it captures the dense gradient of the layer's pruned tensors (batch-mean scale, before masking and
 * before any L1/L2 term); in regulariser mode it adds the rank gradient. Its arguments are ignored:
 * DL4J's per-parameter views are misaligned for some layers (see {@code UpdaterStateSlices}), so the
 * runtime works on views it located itself.
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
        hooks().beforeRegularizations(iteration);
    }

    @Override
    public CaptureGradients clone() {
        return new CaptureGradients(layerName());
    }
}
