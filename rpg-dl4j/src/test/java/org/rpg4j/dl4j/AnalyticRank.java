package org.rpg4j.dl4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reference rank-loss gradient computed independently of rpg-core, in double precision, with
 * LAPACK's {@code gesvd} (reference code {@code rank_kit.py}; DESIGN.md section 3):
 * {@code M = W as [out, rest]}, {@code s = ||M||_F}, {@code Mhat = M / s}, {@code k} the smallest
 * rank whose discarded tail energy is closest to {@code partialK}, {@code R = Mhat - U_k S_k V_k^T},
 * {@code dl/dM = (2 / s) (-R + ||R||_F^2 Mhat)}.
 */
final class AnalyticRank {
    private AnalyticRank() {}

    /**
     * @param outputFirst the weights permuted to output-channels first (any shape {@code [out, ...]})
     * @param partialK tail-energy fraction
     * @return {@code dl/dW} in the shape of {@code outputFirst}, double precision
     */
    static INDArray gradient(INDArray outputFirst, double partialK) {
        long out = outputFirst.size(0);
        long rest = outputFirst.length() / out;
        INDArray m = outputFirst.castTo(DataType.DOUBLE).dup('c').reshape('c', out, rest);
        double s = m.norm2Number().doubleValue();
        INDArray mhat = m.div(s);
        int n = (int) Math.min(out, rest);
        INDArray a = mhat.dup('f');
        INDArray sv = Nd4j.create(DataType.DOUBLE, n);
        INDArray u = Nd4j.create(DataType.DOUBLE, new long[] {out, out}, 'f');
        INDArray vt = Nd4j.create(DataType.DOUBLE, new long[] {rest, rest}, 'f');
        Nd4j.getBlasWrapper().lapack().gesvd(a, sv, u, vt);
        int k = chooseK(sv.toDoubleVector(), partialK);
        INDArray approx = u.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, k))
                .mulRowVector(sv.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, k)).reshape(1, k))
                .mmul(vt.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, k),
                        org.nd4j.linalg.indexing.NDArrayIndex.all()));
        INDArray r = mhat.sub(approx);
        double tail = r.norm2Number().doubleValue();
        INDArray grad = r.neg().addi(mhat.mul(tail * tail)).muli(2.0 / s);
        return grad.reshape('c', outputFirst.shape());
    }

    /** k = n - 1 - j*, j* the first minimiser of |sum of the j+1 smallest energies - partialK|. */
    static int chooseK(double[] singularValues, double partialK) {
        int n = singularValues.length;
        double best = Double.POSITIVE_INFINITY;
        int bestJ = 0;
        double cumulative = 0;
        for (int j = 0; j < n; j++) {
            double sigma = singularValues[n - 1 - j];
            cumulative += sigma * sigma;
            double gap = Math.abs(cumulative - partialK);
            if (gap < best) {
                best = gap;
                bestJ = j;
            }
        }
        return n - 1 - bestJ;
    }
}
