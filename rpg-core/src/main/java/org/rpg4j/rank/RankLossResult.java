package org.rpg4j.rank;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The adversarial rank loss of one weight tensor, as returned by {@link
 * AdversarialRankLoss#compute(INDArray, double)}.
 *
 * @param loss {@code -||Mhat - U_k S_k V_k^T||_F^2} of the normalised matrix {@code Mhat}; in
 *     {@code [-1, 0]} up to rounding, and exactly {@code 0} for an inactive (all-zero) tensor
 * @param k the truncation rank chosen from the tail energy, in {@code [0, min(out, rest) - 1]};
 *     {@code 0} for an inactive tensor
 * @param gradient {@code dloss/dW}, same shape and data type as the weights, C-order; the record
 *     holds this reference (it does not copy it)
 */
public record RankLossResult(double loss, int k, INDArray gradient) {

    /**
     * Validates the components.
     *
     * @param loss see {@link #loss()}
     * @param k see {@link #k()}
     * @param gradient see {@link #gradient()}
     * @throws IllegalArgumentException if {@code loss} is NaN, infinite or positive, {@code k} is
     *     negative, or {@code gradient} is null
     */
    public RankLossResult {
        if (!Double.isFinite(loss) || loss > 0.0) {
            throw new IllegalArgumentException("loss must be finite and <= 0, got " + loss);
        }
        if (k < 0) {
            throw new IllegalArgumentException("k must be >= 0, got " + k);
        }
        if (gradient == null) {
            throw new IllegalArgumentException("gradient must not be null");
        }
    }

    /**
     * Whether this tensor counts toward the layer average. As in the reference ({@code loss != 0}),
     * only an all-zero tensor is inactive.
     *
     * @return {@code loss != 0}
     */
    public boolean active() {
        return loss != 0.0;
    }
}
