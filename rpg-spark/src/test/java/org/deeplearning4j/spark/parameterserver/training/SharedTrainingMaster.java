package org.deeplearning4j.spark.parameterserver.training;

import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

/**
 * Test stand-in with the fully qualified name of dl4j-spark-parameterserver's master (that artifact
 * is not on this module's classpath): rpg4j must refuse it by name even though, being a subclass of
 * the averaging master here, an {@code instanceof} check alone would accept it.
 */
public class SharedTrainingMaster extends ParameterAveragingTrainingMaster {
    private static final long serialVersionUID = 1L;

    /** @param builder the averaging master's settings */
    public SharedTrainingMaster(ParameterAveragingTrainingMaster.Builder builder) {
        super(builder);
    }
}
