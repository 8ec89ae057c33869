package org.rpg4j.dl4j.layers;

import java.nio.FloatBuffer;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.NesterovsUpdater;
import org.nd4j.linalg.learning.SgdUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Java-loop versions of DL4J's {@code Sgd}, {@code Nesterovs} and {@code Adam} updaters ({@link HostUpdates}): each
 * configuration is a copy of the user's (so it is equal to it and merges into the same updater blocks) whose
 * {@code instantiate} lets DL4J build its updater on the state view (same state layout: Nesterov's {@code V}, Adam's
 * {@code M} then {@code V}) and returns a subclass of that updater bound to the user's configuration object, which
 * computes the step in one Java pass when the arrays allow it ({@link HostUpdates#applicable}) and calls DL4J's op
 * otherwise. Formulas as in libnd4j's {@code sgd_updater}, {@code nesterovs_updater} and {@code adam_updater}, in
 * float32; the gradient view is overwritten with the update, which DL4J then subtracts from the parameters.
 */
final class HostUpdaters {

    private HostUpdaters() {
    }

    /** {@code Nesterovs} whose updater is {@link HostNesterovsUpdater}; equal to the configuration it copies. */
    static final class HostNesterovs extends Nesterovs {
        private static final long serialVersionUID = 1L;
        private final Nesterovs original;

        HostNesterovs(Nesterovs original) {
            super(original.getLearningRate(), original.getMomentum());
            setLearningRateSchedule(original.getLearningRateSchedule());
            setMomentumISchedule(original.getMomentumISchedule());
            this.original = original;
        }

        @Override
        public GradientUpdater<Nesterovs> instantiate(INDArray viewArray, boolean initializeViewArray) {
            return new HostNesterovsUpdater(original,
                    (NesterovsUpdater) original.instantiate(viewArray, initializeViewArray));
        }

        @Override
        public GradientUpdater<?> instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
            return original.instantiate(updaterState, initializeStateArrays);
        }
    }

    /** {@code Adam} whose updater is {@link HostAdamUpdater}; equal to the configuration it copies. */
    static final class HostAdam extends Adam {
        private static final long serialVersionUID = 1L;
        private final Adam original;

        HostAdam(Adam original) {
            setLearningRate(original.getLearningRate());
            setLearningRateSchedule(original.getLearningRateSchedule());
            setBeta1(original.getBeta1());
            setBeta2(original.getBeta2());
            setEpsilon(original.getEpsilon());
            this.original = original;
        }

        @Override
        public GradientUpdater<Adam> instantiate(INDArray viewArray, boolean initializeViewArray) {
            return new HostAdamUpdater(original, (AdamUpdater) original.instantiate(viewArray, initializeViewArray));
        }

        @Override
        public GradientUpdater<?> instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
            return original.instantiate(updaterState, initializeStateArrays);
        }
    }

    /** {@code Sgd} whose updater is {@link HostSgdUpdater}; equal to the configuration it copies. */
    static final class HostSgd extends Sgd {
        private static final long serialVersionUID = 1L;
        private final Sgd original;

        HostSgd(Sgd original) {
            setLearningRate(original.getLearningRate());
            setLearningRateSchedule(original.getLearningRateSchedule());
            this.original = original;
        }

        @Override
        public GradientUpdater<Sgd> instantiate(INDArray viewArray, boolean initializeViewArray) {
            // DL4J's instantiate validates the (absent) state view
            original.instantiate(viewArray, initializeViewArray);
            return new HostSgdUpdater(original);
        }

        @Override
        public GradientUpdater<?> instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
            return original.instantiate(updaterState, initializeStateArrays);
        }
    }

    /** Nesterov momentum: {@code p = mu v; v = p - lr g; g = p + (-mu - 1) v} per element. */
    static final class HostNesterovsUpdater extends NesterovsUpdater {
        HostNesterovsUpdater(Nesterovs config, NesterovsUpdater state) {
            super(config);
            setV(state.getV());
            setGradientReshapeOrder(state.getGradientReshapeOrder());
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            INDArray v = getV();
            if (v == null || !HostUpdates.applicable(gradient.length(), gradient, v)) {
                super.applyUpdater(gradient, iteration, epoch);
                return;
            }
            float momentum = (float) getConfig().currentMomentum(iteration, epoch);
            float lr = (float) getConfig().getLearningRate(iteration, epoch);
            nesterovs(HostUpdates.floats(gradient), HostUpdates.floats(v), (int) gradient.length(), lr, momentum);
        }
    }

    /** Adam with libnd4j's bias correction folded into the step size (see {@link #adam}). */
    static final class HostAdamUpdater extends AdamUpdater {
        HostAdamUpdater(Adam config, AdamUpdater state) {
            super(config);
            setM(state.getM());
            setV(state.getV());
            setGradientReshapeOrder(state.getGradientReshapeOrder());
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            INDArray m = getM();
            INDArray v = getV();
            if (m == null || v == null || !HostUpdates.applicable(gradient.length(), gradient, m, v)) {
                super.applyUpdater(gradient, iteration, epoch);
                return;
            }
            Adam c = getConfig();
            adam(HostUpdates.floats(gradient), HostUpdates.floats(m), HostUpdates.floats(v), (int) gradient.length(),
                    (float) c.getLearningRate(iteration, epoch), (float) c.getBeta1(), (float) c.getBeta2(),
                    (float) c.getEpsilon(), iteration);
        }
    }

    /** Plain gradient descent: {@code g = lr g}. */
    static final class HostSgdUpdater extends SgdUpdater {
        HostSgdUpdater(Sgd config) {
            super(config);
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            if (!HostUpdates.applicable(gradient.length(), gradient)) {
                super.applyUpdater(gradient, iteration, epoch);
                return;
            }
            float lr = (float) getConfig().getLearningRate(iteration, epoch);
            FloatBuffer g = HostUpdates.floats(gradient);
            int n = (int) gradient.length();
            for (int i = 0; i < n; i++) {
                g.put(i, g.get(i) * lr);
            }
        }
    }

    /**
     * libnd4j's {@code nesterovs_updater} in float32.
     *
     * @param g gradient, {@code n} elements; overwritten with the update
     * @param v velocity, {@code n} elements; updated in place
     */
    static void nesterovs(FloatBuffer g, FloatBuffer v, int n, float lr, float momentum) {
        float momentumT = -momentum - 1;
        for (int i = 0; i < n; i++) {
            float previous = momentum * v.get(i);
            float velocity = previous - lr * g.get(i);
            v.put(i, velocity);
            g.put(i, previous + momentumT * velocity);
        }
    }

    /**
     * libnd4j's {@code adam_updater} in float32: {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
     * {@code g = m a / (sqrt(v) + eps)} with {@code a = lr sqrt(1 - b2^t) / (1 - b1^t)}, {@code t = iteration + 1}
     * ({@code eps} if that is NaN, 0 or infinite).
     *
     * @param g gradient, {@code n} elements; overwritten with the update
     * @param m first moment, {@code n} elements; updated in place
     * @param v second moment, {@code n} elements; updated in place
     */
    static void adam(FloatBuffer g, FloatBuffer m, FloatBuffer v, int n, float lr, float beta1, float beta2,
                     float epsilon, int iteration) {
        float t = (float) iteration + 1;
        float beta1T = (float) Math.pow(beta1, t);
        float beta2T = (float) Math.pow(beta2, t);
        // as libnd4j: a float sqrt, then a double division rounded to float
        float alpha = (float) (lr * (float) Math.sqrt((float) (1.0 - beta2T)) / (1.0 - beta1T));
        if (Float.isNaN(alpha) || alpha == 0 || Float.isInfinite(alpha)) {
            alpha = epsilon;
        }
        float oneMinusBeta1 = 1 - beta1;
        float oneMinusBeta2 = 1 - beta2;
        for (int i = 0; i < n; i++) {
            float gi = g.get(i);
            float mi = beta1 * m.get(i) + gi * oneMinusBeta1;
            float vi = beta2 * v.get(i) + gi * gi * oneMinusBeta2;
            m.put(i, mi);
            v.put(i, vi);
            g.put(i, (mi * alpha) / ((float) Math.sqrt(vi) + epsilon));
        }
    }
}
