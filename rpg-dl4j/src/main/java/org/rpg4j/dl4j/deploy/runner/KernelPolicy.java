package org.rpg4j.dl4j.deploy.runner;

/** How the runner picks the kernel of each convolution and dense layer. */
public enum KernelPolicy {
    /**
     * Time the sparse and the dense kernel on the layer's shape and batch size at the first calls with that batch
     * size, once each per call, and keep the faster by the fastest runs after the first call (the JIT may still be
     * compiling at the first); a kernel that a slice of its work or a full run shows losing by a clear margin stops
     * being timed. The default.
     */
    MEASURED,
    /** Always the sparse kernel (for benchmarks and tests). */
    SPARSE,
    /** Always the dense ND4J/oneDNN op (for benchmarks and tests). */
    DENSE
}
