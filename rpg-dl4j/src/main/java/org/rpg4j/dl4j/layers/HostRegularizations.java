package org.rpg4j.dl4j.layers;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;

/**
 * Java-loop versions of DL4J's {@code L2Regularization} (before the updater: {@code g += l2 w}) and
 * {@code WeightDecay} (after it: {@code u += c w}, {@code c} times the learning rate if so configured), for
 * {@link HostUpdates}: subclasses equal to the configuration they copy (sharing its schedule), with DL4J's
 * {@code Axpy} op replaced by one Java pass over float32 host arrays ({@link HostUpdates#applicable}), and DL4J's
 * code for any other array.
 */
final class HostRegularizations {

    private HostRegularizations() {
    }

    /** {@code L2Regularization}: {@code gradient += l2 * param}. */
    static final class HostL2 extends L2Regularization {
        private static final long serialVersionUID = 1L;

        HostL2(L2Regularization original) {
            super(original.getL2());
        }

        @Override
        public void apply(INDArray param, INDArray gradView, double lr, int iteration, int epoch) {
            if (!HostUpdates.applicable(param.length(), param, gradView)) {
                super.apply(param, gradView, lr, iteration, epoch);
                return;
            }
            axpy((float) l2.valueAt(iteration, epoch), param, gradView);
        }
    }

    /** {@code WeightDecay}: {@code update += coeff * param}, {@code coeff} times {@code lr} if it applies the rate. */
    static final class HostWeightDecay extends WeightDecay {
        private static final long serialVersionUID = 1L;

        HostWeightDecay(WeightDecay original) {
            super(original.getCoeff(), original.isApplyLR());
        }

        @Override
        public void apply(INDArray param, INDArray gradView, double lr, int iteration, int epoch) {
            if (!HostUpdates.applicable(param.length(), param, gradView)) {
                super.apply(param, gradView, lr, iteration, epoch);
                return;
            }
            double c = coeff.valueAt(iteration, epoch);
            axpy((float) (applyLR ? c * lr : c), param, gradView);
        }
    }

    /** {@code y = a x + y} over float32 host arrays of equal length (libnd4j's {@code Axpy}). */
    private static void axpy(float a, INDArray x, INDArray y) {
        FloatBuffer xs = HostUpdates.floats(x);
        FloatBuffer ys = HostUpdates.floats(y);
        int n = (int) x.length();
        for (int i = 0; i < n; i++) {
            ys.put(i, a * xs.get(i) + ys.get(i));
        }
    }
}
