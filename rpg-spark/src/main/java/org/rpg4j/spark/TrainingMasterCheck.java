package org.rpg4j.spark;

import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.rpg4j.prune.PruningConfig;

/**
 * Decides at attach time whether rpg4j can prune under a training master. Only
 * {@code ParameterAveragingTrainingMaster} is supported. {@code SharedTrainingMaster}
 * (dl4j-spark-parameterserver) is refused by class name, so that the check needs no dependency on
 * that artifact: its executors apply other workers' quantised updates and residuals to the
 * parameters between iterations, after any hook could mask them, so masked weights would drift.
 */
final class TrainingMasterCheck {
    static final String SHARED_TRAINING_MASTER = "org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster";

    private TrainingMasterCheck() {}

    /**
     * @param master the training master of the Spark network
     * @return the master as a parameter-averaging master
     * @throws IllegalArgumentException if it is null, a {@code SharedTrainingMaster} (or a subclass),
     *     or any other master than {@code ParameterAveragingTrainingMaster}
     */
    static ParameterAveragingTrainingMaster require(TrainingMaster<?, ?> master) {
        if (master == null) {
            throw new IllegalArgumentException("the Spark network has no training master");
        }
        for (Class<?> c = master.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(SHARED_TRAINING_MASTER)) {
                throw new IllegalArgumentException("rpg4j cannot prune under SharedTrainingMaster ("
                        + master.getClass().getName() + "): its executors apply other workers' encoded updates "
                        + "to the parameters after any mask, so pruned weights would silently drift. Train with "
                        + "ParameterAveragingTrainingMaster (docs/distributed.md)");
            }
        }
        if (!(master instanceof ParameterAveragingTrainingMaster averaging)) {
            throw new IllegalArgumentException("rpg4j prunes only under ParameterAveragingTrainingMaster, got "
                    + master.getClass().getName());
        }
        return averaging;
    }

    /**
     * @param config the pruning run
     * @param master the averaging master
     * @throws IllegalArgumentException if {@code deltaT} is below the averaging frequency
     */
    static void requireSupported(PruningConfig config, ParameterAveragingTrainingMaster master) {
        if (config.deltaT() < master.getAveragingFrequency()) {
            throw new IllegalArgumentException("deltaT must be >= the averaging frequency ("
                    + master.getAveragingFrequency() + ") so that at most one topology update falls in a round, got "
                    + config.deltaT());
        }
    }
}
