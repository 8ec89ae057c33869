package org.rpg4j.sparse.kernel;

/**
 * Which threads run the tasks of the kernel calls a thread makes under {@link KernelThreading#PER_CALL}, chosen by
 * the code calling the kernels ({@link KernelThreading#callWith}): the deployment runner times whole calls under
 * {@link #CALLER} and {@link #POOL_ABOVE_THRESHOLD} and keeps the faster. The tasks are independent and their split
 * does not depend on this choice, so outputs are bit-identical under every choice.
 */
public enum CallThreads {
    /** Every task on the calling thread: no hand-off. */
    CALLER,
    /**
     * As {@link KernelThreading#COMMON_POOL}: a call of at least 200,000 multiply-adds splits its tasks over the
     * calling thread and the common pool (a parallel stream), a smaller one stays on the caller. The deployment
     * runner's whole-call choice against {@link #CALLER}: in the idle measurement of session 11 (2 cores) every step
     * of a batch-32 RPG-pruned ResNet-56 under this rule took 23.8 ms per call, against 30.0 ms on the caller alone
     * and 30.4 ms with each step's own timed choice, while at batch 1 the caller alone was fastest.
     */
    POOL_ABOVE_THRESHOLD
}
