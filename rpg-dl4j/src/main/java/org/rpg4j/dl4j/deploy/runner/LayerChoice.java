package org.rpg4j.dl4j.deploy.runner;

/**
 * What one step of a compiled runner runs, for one batch size: the report line of the cost model.
 *
 * @param name the DL4J layer or vertex name (the first of a fused group)
 * @param operation what the step computes, e.g. {@code conv 3x3/1 16->16 +bn +relu}
 * @param density fraction of non-zero weights in [0, 1] (after folding), NaN for DL4J steps
 * @param batch the batch size the choice was made for (0 when no timing was needed)
 * @param sparseMillis fastest calibration run of the sparse kernel on the full input, in milliseconds of wall
 *     time; NaN if not timed so
 * @param denseMillis fastest calibration run of the dense kernel on the full input, in milliseconds of wall time;
 *     NaN if not timed so
 * @param kernel the kernel that runs
 * @param calibration how the choice was made: what was timed over how many calls, what was skipped or dropped
 *     and why (e.g. a slice of the sparse kernel's work predicting a clear loss), or why nothing was timed;
 *     empty for steps with one kernel
 */
public record LayerChoice(String name, String operation, double density, int batch, double sparseMillis,
                          double denseMillis, KernelKind kernel, String calibration) {

    /**
     * A choice without calibration note (steps with one kernel).
     *
     * @param name the DL4J layer or vertex name
     * @param operation what the step computes
     * @param density fraction of non-zero weights, NaN for DL4J steps
     * @param batch the batch size, 0 when no timing was needed
     * @param sparseMillis fastest sparse run in milliseconds, NaN unless timed
     * @param denseMillis fastest dense run in milliseconds, NaN unless timed
     * @param kernel the kernel that runs
     */
    public LayerChoice(String name, String operation, double density, int batch, double sparseMillis,
                       double denseMillis, KernelKind kernel) {
        this(name, operation, density, batch, sparseMillis, denseMillis, kernel, "");
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "%-24s %-34s density %.3f batch %d sparse %.3f ms dense %.3f ms -> %s%s",
                name, operation, density, batch, sparseMillis, denseMillis, kernel,
                calibration.isEmpty() ? "" : " (" + calibration + ")");
    }
}
