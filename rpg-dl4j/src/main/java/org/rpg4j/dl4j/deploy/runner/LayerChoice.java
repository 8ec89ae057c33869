package org.rpg4j.dl4j.deploy.runner;

/**
 * What one step of a compiled runner runs, for one batch size: the report line of the cost model.
 *
 * @param name the DL4J layer or vertex name (the first of a fused group)
 * @param operation what the step computes, e.g. {@code conv 3x3/1 16->16 +bn +relu}
 * @param density fraction of non-zero weights in [0, 1] (after folding), NaN for DL4J steps
 * @param batch the batch size the choice was made for (0 when no timing was needed)
 * @param sparseMillis fastest calibration run of the sparse kernel, NaN if not timed
 * @param denseMillis fastest calibration run of the dense kernel, NaN if not timed
 * @param kernel the kernel that runs
 */
public record LayerChoice(String name, String operation, double density, int batch, double sparseMillis,
                          double denseMillis, KernelKind kernel) {

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "%-24s %-34s density %.3f batch %d sparse %.3f ms dense %.3f ms -> %s",
                name, operation, density, batch, sparseMillis, denseMillis, kernel);
    }
}
