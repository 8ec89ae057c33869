package org.rpg4j.dl4j.deploy.runner;

/** The kernel a layer runs. */
public enum KernelKind {
    /** rpg4j's sparse kernel ({@code org.rpg4j.sparse.kernel}). */
    SPARSE,
    /**
     * rpg4j's batch-interleaved sparse kernel for small planes ({@code BatchedConvolution}): a convolution step
     * chooses it within {@link #SPARSE} by timing both sparse kernels ({@code BatchedCandidate}).
     */
    SPARSE_BATCHED,
    /**
     * rpg4j's small-plane kernel for dense-ish layers with tiny output planes at small batches
     * ({@code SmallPlaneConvolution}, output channels as the vector dimension): a convolution step chooses it within
     * {@link #SPARSE} by timing it against the per-image sparse kernel ({@code SmallPlaneCandidate}).
     */
    SPARSE_SMALL_PLANE,
    /** A dense ND4J op ({@code conv2d} with oneDNN when present, or {@code mmul}). */
    DENSE,
    /** rpg4j's Java code on float arrays (element-wise steps such as residual adds). */
    JAVA,
    /** DL4J's own layer or vertex inference. */
    DL4J
}
