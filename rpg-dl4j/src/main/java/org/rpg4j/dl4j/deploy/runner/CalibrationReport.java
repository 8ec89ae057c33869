package org.rpg4j.dl4j.deploy.runner;

import java.util.List;
import org.rpg4j.sparse.kernel.CallThreads;

/**
 * What {@link SparseRunner#calibrate} did for one batch size: after it the runner times nothing at that batch size.
 *
 * @param batch the batch size
 * @param calls runner calls it made on the sample input (the kernels' calibration and races, the settling calls on
 *     each choice of threads, the race between the two plans)
 * @param millis its wall time in milliseconds
 * @param threads the whole calls' choice of threads, or null where the runner does not choose them
 * @param choices the report lines of that batch size ({@link SparseRunner#report()}), in execution order
 */
public record CalibrationReport(int batch, int calls, double millis, CallThreads threads, List<LayerChoice> choices) {

    /**
     * Copies the lines.
     *
     * @param batch the batch size
     * @param calls runner calls made
     * @param millis wall time in milliseconds
     * @param threads the choice of threads, or null
     * @param choices the report lines, not null
     */
    public CalibrationReport {
        choices = List.copyOf(choices);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "calibrated batch %d in %d calls, %.1f ms, threads %s, %d layers",
                batch, calls, millis, threads, choices.size());
    }
}
