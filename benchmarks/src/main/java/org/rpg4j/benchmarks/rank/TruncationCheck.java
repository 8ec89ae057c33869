package org.rpg4j.benchmarks.rank;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The two numbers of the rank loss that a decomposition decides, computed the way {@code
 * org.rpg4j.rank.AdversarialRankLoss} computes them: the truncation rank {@code k} (energy rule of
 * the reference's {@code find_k}) and the loss magnitude {@code ||Mhat - P_k Mhat||_F^2} of the
 * normalised matrix {@code Mhat = A / ||A||_F}, with {@code P_k} the projector onto the method's
 * own top-{@code k} vectors. Everything here runs in double and is not timed.
 *
 * @param k the truncation rank
 * @param loss {@code ||Mhat - P_k Mhat||_F^2} in [0, 1] (the rank loss is its negative)
 */
public record TruncationCheck(int k, double loss) {

    /**
     * The reference: singular values of the double-precision matrix by LAPACK dgesvd; the loss of
     * the exact rank-{@code k} truncation is the discarded energy (Eckart-Young).
     *
     * @param a float or double {@code [rows, cols]}; not modified
     * @param partialK tail-energy fraction in [0, 1]
     */
    public static TruncationCheck reference(INDArray a, double partialK) {
        INDArray d = a.castTo(DataType.DOUBLE).dup('f');
        double total = d.norm2Number().doubleValue();
        total *= total;
        INDArray s = Nd4j.create(DataType.DOUBLE, Math.min(a.rows(), a.columns()));
        Nd4j.getBlasWrapper().lapack().gesvd(d, s, null, null);
        double[] sigma = s.toDoubleVector();
        double[] descending = new double[sigma.length];
        for (int i = 0; i < sigma.length; i++) {
            descending[i] = sigma[i] * sigma[i] / total;
        }
        int k = truncationRank(descending, descending.length, partialK);
        double tail = 0;
        for (int i = descending.length - 1; i >= k; i--) {
            tail += descending[i];
        }
        return new TruncationCheck(k, tail);
    }

    /**
     * @param a the matrix the spectrum was computed from; not modified
     * @param spectrum a method's output
     * @param partialK tail-energy fraction in [0, 1]
     * @return {@code k} from the method's energies and the loss with the method's vectors (or, for a
     *     values-only method, the discarded energy)
     */
    public static TruncationCheck of(INDArray a, Spectrum spectrum, double partialK) {
        INDArray d = a.castTo(DataType.DOUBLE);
        double total = d.norm2Number().doubleValue();
        total *= total;
        int[] order = spectrum.descendingOrder();
        double[] descending = new double[order.length];
        for (int i = 0; i < order.length; i++) {
            descending[i] = Math.max(0.0, spectrum.energies()[order[i]]) / total;
        }
        int side = Math.min(a.rows(), a.columns());
        int k = truncationRank(descending, side, partialK);
        if (spectrum.vectors() == null) {
            double kept = 0;
            for (int i = 0; i < k; i++) {
                kept += descending[i];
            }
            return new TruncationCheck(k, 1.0 - kept);
        }
        INDArray mhat = d.div(Math.sqrt(total));
        INDArray basis = Nd4j.create(DataType.DOUBLE, new long[] {spectrum.vectors().rows(), k}, 'f');
        INDArray vectors = spectrum.vectors().castTo(DataType.DOUBLE);
        for (int i = 0; i < k; i++) {
            basis.putColumn(i, vectors.get(NDArrayIndex.all(), NDArrayIndex.point(order[i])));
        }
        // R = Mhat - B (B^T Mhat) on the left side, Mhat - (Mhat B) B^T on the right
        INDArray residual = spectrum.leftSide()
                ? mhat.sub(basis.mmul(basis.transpose().mmul(mhat)))
                : mhat.sub(mhat.mmul(basis).mmul(basis.transpose()));
        double norm = residual.norm2Number().doubleValue();
        return new TruncationCheck(k, norm * norm);
    }

    /**
     * The reference's {@code find_k} on descending normalised energies {@code e_0 >= e_1 >= ...}
     * of a matrix with {@code side} singular values, of which only the first {@code
     * descending.length} may be known: with {@code c_j} the summed energy of the {@code j + 1}
     * smallest values ({@code 1 - sum of the side - 1 - j largest}), the first {@code j} (smallest
     * first) minimising {@code |c_j - partialK|} gives {@code k = side - 1 - j}. Counts {@code j}
     * that would need unknown values are skipped.
     */
    static int truncationRank(double[] descending, int side, double partialK) {
        double[] prefix = new double[descending.length + 1];
        for (int i = 0; i < descending.length; i++) {
            prefix[i + 1] = prefix[i] + descending[i];
        }
        int best = -1;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int j = 0; j < side; j++) {
            int top = side - 1 - j;
            if (top > descending.length) {
                continue;
            }
            // all values known: sum the smallest directly, as the reference does (no cancellation)
            double cumulative = descending.length == side ? prefix[side] - prefix[top] : 1.0 - prefix[top];
            double distance = Math.abs(cumulative - partialK);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = j;
            }
        }
        return side - 1 - best;
    }
}
