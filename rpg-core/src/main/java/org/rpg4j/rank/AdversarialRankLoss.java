package org.rpg4j.rank;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adversarial rank loss of RPG (Tian et al., "Towards Higher Ranks via Adversarial Weight
 * Pruning", NeurIPS 2023, arXiv:2311.17493), computed exactly as the authors' code computes it
 * ({@code rank_kit.py}: {@code get_sing_loss}, {@code find_k}, {@code get_loss_para}).
 *
 * <p>For one weight tensor seen as {@code M = [out, rest]}:
 *
 * <ol>
 *   <li>{@code s = ||M||_F}, {@code Mhat = M / s}; an all-zero tensor is inactive (loss 0).
 *   <li>The singular values {@code sigma_i} of {@code Mhat} (the "min" player, no gradient
 *       through it) have energies {@code sigma_i^2} summing to 1. {@code k} keeps the top
 *       singular values and discards the smallest ones whose summed energy is closest to {@code
 *       partialK} (first such count on a tie); at least one value is always discarded.
 *   <li>{@code R = Mhat - U_k S_k V_k^T}, {@code loss = -||R||_F^2} (about {@code -partialK}).
 *   <li>{@code dloss/dM = (2 / s) * (-R + ||R||_F^2 * Mhat)}; the second term comes from the
 *       normalisation. Holding the SVD fixed loses nothing: {@code U_k S_k V_k^T} is the best
 *       rank-{@code k} approximation (Eckart-Young), so the derivative with it held fixed equals
 *       the derivative of the tail energy {@code sum_{i>k} sigma_i^2} recomputed with a fresh SVD
 *       at the same {@code k} (for {@code sigma_k > sigma_{k+1}}).
 * </ol>
 *
 * <p>The layer loss is the mean over active layers ({@link #aggregate(List, double)}), weighted by
 * {@code lambda} in the objective. How the decomposition is computed is described in {@code
 * GramEigen}: an eigendecomposition of the smaller Gram matrix, in double precision (LAPACK
 * {@code dsyevd}).
 */
public final class AdversarialRankLoss {

    private static final Logger log = LoggerFactory.getLogger(AdversarialRankLoss.class);

    private AdversarialRankLoss() {}

    /**
     * The adversarial rank loss of one weight tensor, its truncation rank and its gradient.
     *
     * @param weights any floating-point tensor of rank {@code >= 2}, e.g. {@code [out, in, kh, kw]},
     *     seen as {@code [out, rest]} in row-major order of its logical shape (views and permuted
     *     views work); not modified
     * @param partialK the tail-energy fraction to discard, in {@code [0, 1]} (reference default 0.1)
     * @return the loss ({@code -||R||_F^2}, in {@code [-1, 0]}), the chosen {@code k} and {@code
     *     dloss/dW} as a new C-order array of the same shape and data type as {@code weights},
     *     allocated outside any workspace; for an all-zero tensor loss 0, {@code k} 0 and a zero
     *     gradient
     * @throws IllegalArgumentException if {@code weights} is null, of rank below 2, empty, not
     *     floating point or not finite, or {@code partialK} is outside {@code [0, 1]} or NaN
     * @throws ArithmeticException if the LAPACK eigensolver does not converge
     */
    public static RankLossResult compute(INDArray weights, double partialK) {
        return compute(weights, partialK, GramEigen.defaultSolver());
    }

    /** {@link #compute(INDArray, double)} with a chosen eigensolver (tests compare them). */
    static RankLossResult compute(INDArray weights, double partialK, GramEigen.Solver solver) {
        if (!(partialK >= 0.0 && partialK <= 1.0)) {
            throw new IllegalArgumentException("partialK must be in [0, 1], got " + partialK);
        }
        // Allocate outside any workspace the caller has open (DL4J opens them during training): the
        // gradient must outlive it, and the temporaries must not fill it.
        MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
        try (outside) {
            return computeDetached(weights, partialK, solver);
        }
    }

    private static RankLossResult computeDetached(
                                                  INDArray weights, double partialK, GramEigen.Solver solver) {
        WeightMatrix matrix = WeightMatrix.of(weights);
        if (matrix.isZero()) {
            log.debug("rank loss: weights of shape {} are all zero, inactive", weights.shape());
            return new RankLossResult(0.0, 0, Nd4j.zeros(weights.dataType(), weights.shape()));
        }
        INDArray mhat = matrix.normalised();
        GramEigen eigen = GramEigen.of(mhat, solver);
        int k = truncationRank(eigen.eigenvalues(), partialK);
        double[] residual = residual(matrix, eigen, k);
        double tailEnergy = WeightMatrix.sumOfSquares(residual);
        log.debug(
                "rank loss: [{} x {}] k = {} of {}, loss = {}",
                matrix.rows(),
                matrix.cols(),
                k,
                eigen.size(),
                -tailEnergy);
        return new RankLossResult(0.0 - tailEnergy, k, gradient(residual, matrix, tailEnergy, weights));
    }

    /**
     * The reference aggregation: the mean loss over active layers, and the factor that turns each
     * layer's gradient into its share of the gradient of {@code lambda * meanLoss}.
     *
     * @param perLayer one result per rank layer, not null and without null elements; may be empty
     * @param lambda the weight of the rank loss in the objective, finite and {@code >= 0}
     * @return {@code meanLoss} (without lambda), the active count, and {@code lambda /
     *     activeLayers}; all 0 when no layer is active
     * @throws IllegalArgumentException if {@code perLayer} is or holds null, or {@code lambda} is
     *     negative, NaN or infinite
     */
    public static RankLossAggregate aggregate(List<RankLossResult> perLayer, double lambda) {
        if (perLayer == null) {
            throw new IllegalArgumentException("perLayer must not be null");
        }
        if (!(lambda >= 0.0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
        }
        double sum = 0.0;
        int active = 0;
        for (int i = 0; i < perLayer.size(); i++) {
            RankLossResult layer = perLayer.get(i);
            if (layer == null) {
                throw new IllegalArgumentException("perLayer must not hold null, found null at index " + i);
            }
            if (layer.active()) {
                sum += layer.loss();
                active++;
            }
        }
        if (active == 0) {
            return new RankLossAggregate(0.0, 0, 0.0);
        }
        return new RankLossAggregate(sum / active, active, lambda / active);
    }

    /**
     * The reference's {@code find_k}: with energies {@code e} in ascending order and {@code c_j =
     * e_0 + ... + e_j}, the first {@code j} minimising {@code |c_j - partialK|} gives {@code k = n -
     * 1 - j}.
     *
     * @param ascendingEnergies {@code sigma_i^2} in ascending order, length {@code n >= 1}; not
     *     modified
     * @param partialK tail-energy target in {@code [0, 1]}
     * @return {@code k} in {@code [0, n - 1]}
     */
    static int truncationRank(double[] ascendingEnergies, double partialK) {
        int best = 0;
        double bestDistance = Double.POSITIVE_INFINITY;
        double cumulative = 0.0;
        for (int j = 0; j < ascendingEnergies.length; j++) {
            cumulative += ascendingEnergies[j];
            double distance = Math.abs(cumulative - partialK);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = j;
            }
        }
        return ascendingEnergies.length - 1 - best;
    }

    /**
     * {@code R = Mhat - U_k S_k V_k^T}, as a projection, in row-major order. With the Gram
     * eigenvectors {@code Q} of the smaller side split into the top-{@code k} block {@code Q_k} and
     * the tail block {@code Q_t}, {@code R = Q_t Q_t^T Mhat = Mhat - Q_k Q_k^T Mhat} (left side;
     * {@code Mhat Q Q^T} on the right side). Whichever block is narrower is used: half the flops
     * at worst, and the tail form has no cancellation. Overwrites {@code matrix.normalised()}.
     */
    private static double[] residual(WeightMatrix matrix, GramEigen eigen, int k) {
        double[] mhatValues = matrix.normalisedValues();
        int n = eigen.size();
        int tail = n - k;
        if (k == 0) {
            return mhatValues.clone();
        }
        INDArray mhat = matrix.normalised();
        boolean projectOnTail = tail <= k;
        INDArray basis = projectOnTail ? eigen.eigenvectors(0, tail) : eigen.eigenvectors(tail, n);
        // Once the coefficients are formed the native Mhat is no longer read (the loops below use
        // the Java copy): the projection overwrites it instead of taking another array.
        INDArray projection = mhat;
        if (eigen.leftSide()) {
            // coefficients Q^T Mhat: [width, rest]; projection Q (Q^T Mhat)
            INDArray coefficients = Nd4j.gemm(basis, mhat, true, false);
            Nd4j.gemm(basis, coefficients, projection, false, false, 1.0, 0.0);
        } else {
            // coefficients Mhat Q: [out, width]; projection (Mhat Q) Q^T
            INDArray coefficients = Nd4j.gemm(mhat, basis, false, false);
            Nd4j.gemm(coefficients, basis, projection, false, true, 1.0, 0.0);
        }
        double[] r = projection.data().asDouble();
        if (!projectOnTail) {
            for (int i = 0; i < r.length; i++) {
                r[i] = mhatValues[i] - r[i];
            }
        }
        return r;
    }

    /**
     * {@code dloss/dM = (2 / s) (-R + e Mhat)}, {@code e = ||R||_F^2}, as a new C-order array of
     * the weights' shape and data type ({@code residual} is overwritten).
     */
    private static INDArray gradient(double[] residual, WeightMatrix matrix, double tailEnergy, INDArray weights) {
        double scale = 2.0 / matrix.frobeniusNorm();
        double[] mhat = matrix.normalisedValues();
        double minusScale = -scale;
        double energyScale = scale * tailEnergy;
        long[] shape = weights.shape();
        if (weights.dataType() == DataType.FLOAT) {
            float[] g = new float[residual.length];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) (residual[i] * minusScale + mhat[i] * energyScale);
            }
            return Nd4j.create(g, shape, 'c');
        }
        for (int i = 0; i < residual.length; i++) {
            residual[i] = residual[i] * minusScale + mhat[i] * energyScale;
        }
        INDArray g = Nd4j.create(residual, shape, 'c');
        return weights.dataType() == DataType.DOUBLE ? g : g.castTo(weights.dataType());
    }
}
