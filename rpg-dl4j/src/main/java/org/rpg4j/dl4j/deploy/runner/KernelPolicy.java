package org.rpg4j.dl4j.deploy.runner;

/** How the runner picks the kernel of each convolution and dense layer. */
public enum KernelPolicy {
    /**
     * Time the sparse and the dense kernel on the layer's shape and batch size at the first and again
     * at the second call with that batch size (the JIT may still be compiling at the first), and keep
     * the faster of the second timing (the default).
     */
    MEASURED,
    /** Always the sparse kernel (for benchmarks and tests). */
    SPARSE,
    /** Always the dense ND4J/oneDNN op (for benchmarks and tests). */
    DENSE
}
