package org.rpg4j.dl4j.deploy.runner;

/**
 * The measured time of one step of a compiled runner ({@link SparseRunner#profile}): wall time, or the time of the
 * clock the profile was given.
 *
 * @param name the DL4J layer or vertex name (the first of a fused group)
 * @param operation what the step computes, as in {@link LayerChoice#operation()}
 * @param kernel the kernel the step ran
 * @param millis mean time per call in milliseconds (wall time unless the profile was given another clock),
 *     including conversions between ND4J and Java arrays that the step's input needed
 */
public record StepTime(String name, String operation, KernelKind kernel, double millis) {
}
