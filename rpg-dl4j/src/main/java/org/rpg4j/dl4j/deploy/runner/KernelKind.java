package org.rpg4j.dl4j.deploy.runner;

/** The kernel a layer runs. */
public enum KernelKind {
    /** rpg4j's sparse kernel ({@code org.rpg4j.sparse.kernel}). */
    SPARSE,
    /** A dense ND4J op ({@code conv2d} with oneDNN when present, or {@code mmul}). */
    DENSE,
    /** DL4J's own layer or vertex inference. */
    DL4J
}
