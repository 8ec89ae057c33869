package org.rpg4j.dl4j.deploy.runner;

/**
 * The measured wall time of one step of a compiled runner ({@link SparseRunner#profile}).
 *
 * @param name the DL4J layer or vertex name (the first of a fused group)
 * @param operation what the step computes, as in {@link LayerChoice#operation()}
 * @param kernel the kernel the step ran
 * @param millis mean wall time per call in milliseconds, including conversions between ND4J and Java
 *     arrays that the step's input needed
 */
public record StepTime(String name, String operation, KernelKind kernel, double millis) {
}
