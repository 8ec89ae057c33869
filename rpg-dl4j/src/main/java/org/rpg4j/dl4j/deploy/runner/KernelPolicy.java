package org.rpg4j.dl4j.deploy.runner;

/** How the runner picks the kernel of each convolution and dense layer. */
public enum KernelPolicy {
    /**
     * Time the sparse and the dense kernel on the layer's shape and batch size at the first three calls
     * with that batch size and keep the faster by the fastest runs of the second and third (the JIT may
     * still be compiling at the first); the default.
     */
    MEASURED,
    /** Always the sparse kernel (for benchmarks and tests). */
    SPARSE,
    /** Always the dense ND4J/oneDNN op (for benchmarks and tests). */
    DENSE
}
