package org.rpg4j.dl4j.layers;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.rpg4j.tensor.HostAccess;

/**
 * The regularization part of the score DL4J computes on every fit ({@code calcRegularizationScore}), for the
 * fast layers: an {@link L2Regularization} of a float32 'c'-contiguous host array is {@code 0.5 l2 sum(w^2)}
 * summed in a Java loop (double precision) instead of a {@code norm2} op per parameter, which costs a native
 * call, a reduction dispatch and a synchronisation each; other regularizations, data types and layouts, and
 * mode {@code generic} of {@link HostAccess#PROPERTY}, call DL4J's {@link Regularization#score}. The value is
 * DL4J's up to rounding (DL4J squares a float norm); training does not read it.
 */
final class RegularizationScore {

    private RegularizationScore() {
    }

    /**
     * @param params the layer's parameter table; not modified
     * @param regularizations a parameter name's regularizations (null or empty: none)
     * @param iteration the layer's iteration count
     * @param epoch the layer's epoch count
     * @return the sum of every parameter's regularization scores
     */
    static double sum(Map<String, INDArray> params,
                      Function<String, List<Regularization>> regularizations, int iteration,
                      int epoch) {
        double sum = 0.0;
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            List<Regularization> list = regularizations.apply(e.getKey());
            if (list == null) {
                continue;
            }
            for (Regularization r : list) {
                sum += score(r, e.getValue(), iteration, epoch);
            }
        }
        return sum;
    }

    /**
     * @param regularization a regularization
     * @param param the parameter array; not modified
     * @param iteration iteration count
     * @param epoch epoch count
     * @return {@code regularization.score(param, iteration, epoch)}, computed in Java where possible
     */
    static double score(Regularization regularization, INDArray param, int iteration, int epoch) {
        boolean l2 = regularization.getClass() == L2Regularization.class
                || regularization instanceof HostRegularizations.HostL2;
        if (!l2 || param.dataType() != DataType.FLOAT
                || param.length() > Integer.MAX_VALUE || !HostAccess.isCContiguous(param.shape(), param.stride())
                || !HostAccess.hostPointer(param)) {
            return regularization.score(param, iteration, epoch);
        }
        double coefficient = ((L2Regularization) regularization).getL2().valueAt(iteration, epoch);
        return coefficient * 0.5 * sumOfSquares(ChannelKernels.floats(param), (int) param.length());
    }

    /** {@code sum(x^2)} over the first {@code n} floats, four independent double accumulators. */
    static double sumOfSquares(FloatBuffer x, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            double a = x.get(i);
            double b = x.get(i + 1);
            double c = x.get(i + 2);
            double d = x.get(i + 3);
            s0 += a * a;
            s1 += b * b;
            s2 += c * c;
            s3 += d * d;
        }
        for (; i < n; i++) {
            double a = x.get(i);
            s0 += a * a;
        }
        return (s0 + s1) + (s2 + s3);
    }
}
