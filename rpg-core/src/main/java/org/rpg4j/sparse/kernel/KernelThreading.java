package org.rpg4j.sparse.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/** How a sparse kernel spreads its independent tasks (images, or blocks of output rows) over threads. */
public enum KernelThreading {
    /** Every task on the calling thread. */
    CALLER_ONLY,
    /** Tasks on the calling thread and the common fork-join pool (all cores). */
    COMMON_POOL;

    /** Below this many multiply-adds a call stays on the calling thread: forking costs ~10-50 us. */
    static final long PARALLEL_WORK = 200_000;

    /**
     * @return how many threads {@link #run} uses at most: 1 for {@link #CALLER_ONLY}; the caller and the common
     *     pool's workers for {@link #COMMON_POOL}, at most the available processors
     */
    public int threads() {
        if (this == CALLER_ONLY) {
            return 1;
        }
        return Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(),
                ForkJoinPool.getCommonPoolParallelism() + 1));
    }

    /**
     * Runs {@code task.accept(t)} for every {@code t in [0, tasks)}.
     *
     * @param tasks number of independent tasks
     * @param work multiply-adds (or other element operations) of all tasks together: below
     *     200,000 everything stays on the caller
     * @param task the task body; must be safe to run concurrently for different indices
     */
    public void run(int tasks, long work, IntConsumer task) {
        if (this == CALLER_ONLY || tasks < 2 || work < PARALLEL_WORK) {
            for (int t = 0; t < tasks; t++) {
                task.accept(t);
            }
        } else {
            IntStream.range(0, tasks).parallel().forEach(task);
        }
    }
}
