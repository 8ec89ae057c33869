package org.rpg4j.prune;

/**
 * One prunable tensor in a {@link PruningReport}.
 *
 * @param name tensor name
 * @param layerType simple class name of the owning layer
 * @param shape logical shape
 * @param parameters number of weights
 * @param nonZeros weights that are not exactly 0.0
 * @param sparsity {@code 1 - nonZeros / parameters}
 * @param deltaRank delta-rank of the normalised output-first matrix (delta {@code RankMetrics.DEFAULT_DELTA})
 * @param lastK k last chosen by the rank loss, -1 if never computed
 */
public record LayerReport(String name, String layerType, long[] shape, long parameters, long nonZeros,
                          double sparsity, int deltaRank, int lastK) {
    /**
     * Copies {@code shape}.
     *
     * @param name see {@link #name()}
     * @param layerType see {@link #layerType()}
     * @param shape see {@link #shape()}; copied
     * @param parameters see {@link #parameters()}
     * @param nonZeros see {@link #nonZeros()}
     * @param sparsity see {@link #sparsity()}
     * @param deltaRank see {@link #deltaRank()}
     * @param lastK see {@link #lastK()}
     */
    public LayerReport {
        shape = shape.clone();
    }

    /**
     * @return a copy of the logical shape
     */
    @Override
    public long[] shape() {
        return shape.clone();
    }
}
