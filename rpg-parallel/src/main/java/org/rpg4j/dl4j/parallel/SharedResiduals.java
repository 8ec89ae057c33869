package org.rpg4j.dl4j.parallel;

import java.lang.reflect.Field;
import org.deeplearning4j.optimize.solvers.accumulation.EncodedGradientsAccumulator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads the residual of DL4J's threshold encoder for the calling worker thread, in
 * {@code ParallelWrapper}'s {@code SHARED_GRADIENTS} mode (DL4J 1.0.0-M2.1).
 *
 * <p>{@code EncodedGradientsAccumulator.storeUpdate} (called by {@code StochasticGradientDescent.optimize}
 * on each worker's thread, after the updater) adds the worker's update to a per-thread array, the
 * residual; the {@code EncodingHandler} encodes the entries above the threshold, sends them to every
 * worker and subtracts them from the residual; the rest waits for later iterations. DL4J exposes
 * no accessor: the residual is the value, for the worker's thread, of the accumulator's protected
 * {@code ThreadLocal<INDArray>} field {@code accumulator}, read here by reflection. DL4J replaces
 * that {@code ThreadLocal} at the end of every {@code fit} ({@code reset()}, from
 * {@code ParallelWrapper.close}), so the field is read at every call, never cached.
 */
final class SharedResiduals {
    private static final String FIELD = "accumulator";
    private final EncodedGradientsAccumulator accumulator;
    private final Field field;

    private SharedResiduals(EncodedGradientsAccumulator accumulator, Field field) {
        this.accumulator = accumulator;
        this.field = field;
    }

    /**
     * @param accumulator the wrapper's gradients accumulator
     * @return the residual reader
     * @throws IllegalArgumentException if this DL4J version's accumulator has no readable residual
     *     field (rpg4j then cannot keep pruned positions out of the encoded updates)
     */
    static SharedResiduals of(EncodedGradientsAccumulator accumulator) {
        try {
            Field f = EncodedGradientsAccumulator.class.getDeclaredField(FIELD);
            if (f.getType() != ThreadLocal.class) {
                throw new NoSuchFieldException(FIELD + " is a " + f.getType().getName());
            }
            f.setAccessible(true);
            SharedResiduals residuals = new SharedResiduals(accumulator, f);
            residuals.threadLocal();
            return residuals;
        } catch (NoSuchFieldException | RuntimeException e) {
            throw new IllegalArgumentException("rpg4j cannot read the residuals of this DL4J version's "
                    + "EncodedGradientsAccumulator (field '" + FIELD
                    + "', written for DL4J 1.0.0-M2.1): pruned weights "
                    + "would drift in SHARED_GRADIENTS mode. Use TrainingMode.AVERAGING", e);
        }
    }

    /**
     * @return the calling worker thread's residual, a vector with one entry per parameter (a live
     *     array: modifying it modifies what the encoder sends later), or null if this thread has
     *     not stored an update since the current {@code fit} started
     */
    INDArray current() {
        ThreadLocal<?> local = threadLocal();
        return local == null ? null : (INDArray) local.get();
    }

    private ThreadLocal<?> threadLocal() {
        try {
            return (ThreadLocal<?>) field.get(accumulator);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read EncodedGradientsAccumulator." + FIELD, e);
        }
    }
}
