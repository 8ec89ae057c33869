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
 * @param zeroRows rows of the output-first matrix {@code [out, rest]} that are exactly 0.0 everywhere
 *     (output channels or units pruned away completely; {@code org.rpg4j.tensor.ZeroLines})
 * @param zeroColumns columns of {@code [out, rest]} that are exactly 0.0 everywhere (an input
 *     channel at one kernel position, or an input unit, that no output uses)
 */
public record LayerReport(String name, String layerType, long[] shape, long parameters, long nonZeros,
                          double sparsity, int deltaRank, int lastK, long zeroRows, long zeroColumns) {
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
     * @param zeroRows see {@link #zeroRows()}
     * @param zeroColumns see {@link #zeroColumns()}
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
