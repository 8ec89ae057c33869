package org.rpg4j.regrow;

import java.util.List;
import java.util.OptionalDouble;

/**
 * The outcome of {@link TopologyUpdate#apply}. Every array is fresh, owned by the caller, one per
 * tensor in input order, of the tensor's flat length (C order of its logical shape).
 *
 * @param postThresholdMasks the masks after the magnitude prune (the current masks in a
 *     stationary update)
 * @param newMasks the masks after drop and grow: the tensors' masks from now on
 * @param weightKeepMasks {@code postThreshold AND newMask AND currentMask}: multiply the weights by
 *     it. Weights pruned by the threshold and grown again start at exactly 0; survivors that were
 *     dropped and grown back keep their values. ({@code AND currentMask} only matters for a position
 *     that was inactive and survived the threshold as a zero-magnitude tie; its weight must be 0.)
 * @param layers per-layer sparsity and counts
 * @param threshold the global magnitude threshold (GLOBAL budget, re-thresholding update); empty
 *     for per-layer budgets and stationary updates
 * @param thresholdSurvivors true entries over all {@code postThresholdMasks}
 * @param stationary true if no re-threshold ran (the target density had been reached)
 */
public record TopologyUpdateResult(boolean[][] postThresholdMasks, boolean[][] newMasks,
                                   boolean[][] weightKeepMasks, List<LayerUpdate> layers,
                                   OptionalDouble threshold, long thresholdSurvivors, boolean stationary) {
    /**
     * @param postThresholdMasks see {@link #postThresholdMasks()}
     * @param newMasks see {@link #newMasks()}
     * @param weightKeepMasks see {@link #weightKeepMasks()}
     * @param layers see {@link #layers()}
     * @param threshold see {@link #threshold()}
     * @param thresholdSurvivors see {@link #thresholdSurvivors()}
     * @param stationary see {@link #stationary()}
     * @throws IllegalArgumentException if an argument is null or the per-tensor counts differ
     */
    public TopologyUpdateResult {
        if (postThresholdMasks == null || newMasks == null || weightKeepMasks == null || layers == null
                || threshold == null) {
            throw new IllegalArgumentException("masks, layers and threshold must not be null");
        }
        if (newMasks.length != postThresholdMasks.length || weightKeepMasks.length != postThresholdMasks.length
                || layers.size() != postThresholdMasks.length) {
            throw new IllegalArgumentException("every per-tensor list must have " + postThresholdMasks.length
                    + " entries");
        }
        layers = List.copyOf(layers);
    }

    /** @return {@code S_l} per tensor (see {@link LayerUpdate#layerSparsity()}) */
    public double[] layerSparsity() {
        return layers.stream().mapToDouble(LayerUpdate::layerSparsity).toArray();
    }

    /** @return active positions over all new masks */
    public long totalKept() {
        return layers.stream().mapToLong(LayerUpdate::kept).sum();
    }

    /** @return positions chosen by the grow criterion over all layers */
    public long totalGrown() {
        return layers.stream().mapToLong(LayerUpdate::grown).sum();
    }

    /** @return positions grown from pruned (weights starting at 0) over all layers */
    public long totalGrownFromPruned() {
        return layers.stream().mapToLong(LayerUpdate::grownFromPruned).sum();
    }

    /** @return threshold survivors dropped over all layers */
    public long totalDropped() {
        return layers.stream().mapToLong(LayerUpdate::dropped).sum();
    }

    /** @return fraction of inactive positions over all new masks */
    public double sparsity() {
        long size = layers.stream().mapToLong(LayerUpdate::size).sum();
        return 1.0 - (double) totalKept() / size;
    }
}
