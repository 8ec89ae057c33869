package org.rpg4j.dl4j.deploy.runner;

/**
 * Which threads run the runner's native ND4J ops (the dense kernels: oneDNN convolutions, matrix products,
 * and the conversions around them).
 */
public enum NativeThreading {
    /**
     * Every native op of the runner on one OpenMP thread, and a dense convolution split into parts over the
     * runner's Java threads ({@link RunnerOptions#threading()}): the images of a batch, or at batch 1 the output
     * channels, one single-threaded {@code conv2d} per part. libnd4j's OpenMP worker threads then stay asleep
     * and never compete with the sparse kernels for the cores (GNU libgomp keeps a worker spinning on a core
     * for a while after each parallel op). DL4J fallback layers still use OpenMP's threads. One exception: a call
     * made with every step on the calling thread ({@code CallThreads.CALLER} under {@code KernelThreading.PER_CALL})
     * leaves the pool's threads idle, so there a dense convolution of at least 8 images and 8 million multiply-adds
     * runs one oneDNN call on as many OpenMP threads as the runner has Java threads (the dense ResNet-56 at batch
     * 64: 72 ms per call against 129 ms on one OpenMP thread, docs/structured.md session 13).
     */
    JAVA_THREADS,
    /** Native ops on libnd4j's OpenMP threads, as DL4J runs them (the runner before this option existed). */
    OPENMP
}
