package org.rpg4j.sparse.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/** How a sparse kernel spreads its independent tasks (images, or blocks of output rows) over threads. */
public enum KernelThreading {
    /** Every task on the calling thread. */
    CALLER_ONLY,
    /**
     * Tasks on the calling thread and the common fork-join pool (all cores, a parallel {@code IntStream}) when a
     * call has at least 200,000 multiply-adds, else on the calling thread.
     */
    COMMON_POOL,
    /**
     * Per call, as the calling code chose for its thread ({@link #callWith}): all tasks on the calling thread
     * ({@link CallThreads#CALLER}); as {@link #COMMON_POOL} where no choice is set or the choice is
     * {@link CallThreads#POOL_ABOVE_THRESHOLD}. Meant for code that times both choices,
     * as the deployment runner does on whole calls: on a 2-core machine the fixed 200,000 threshold was wrong both ways
     * (every step of a batch-1 ResNet-56 and VGG-19 faster on one thread, even 2.4 M multiply-add steps; a
     * batch-32 pruned ResNet-56 twice as fast on two).
     */
    PER_CALL;

    /** Below this many multiply-adds a {@link #COMMON_POOL} call stays on the calling thread. */
    static final long PARALLEL_WORK = 200_000;

    /** The choice {@link #PER_CALL} follows on each thread, null where none is set. */
    private static final ThreadLocal<CallThreads> CHOICE = new ThreadLocal<>();

    /**
     * @return how many threads {@link #run} uses at most: 1 for {@link #CALLER_ONLY}; the caller and the common
     *     pool's workers for {@link #COMMON_POOL} and {@link #PER_CALL} (whatever the choice of the moment, so that
     *     code splitting its work by this count splits it the same way under both choices), at most the available
     *     processors
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
     * @param work multiply-adds (or other element operations) of all tasks together: under {@link #COMMON_POOL}
     *     below 200,000 everything stays on the caller
     * @param task the task body; must be safe to run concurrently for different indices
     * @throws IllegalArgumentException if {@code tasks < 0} or {@code task} is null
     */
    public void run(int tasks, long work, IntConsumer task) {
        if (tasks < 0 || task == null) {
            throw new IllegalArgumentException("tasks must be >= 0 and task not null, got " + tasks + " and " + task);
        }
        if (this == CALLER_ONLY || tasks < 2) {
            onCaller(tasks, task);
            return;
        }
        CallThreads choice = this == PER_CALL ? CHOICE.get() : null;
        if (choice == CallThreads.CALLER || work < PARALLEL_WORK) {
            onCaller(tasks, task);
        } else {
            IntStream.range(0, tasks).parallel().forEach(task);
        }
    }

    /**
     * Makes a call with a choice of threads for the {@link #PER_CALL} kernel calls it makes on this thread; the
     * previous choice is restored afterwards (also when the call throws).
     *
     * @param choice the threads the kernels' tasks run on
     * @param call the call
     * @param <T> its result type
     * @return its result
     * @throws IllegalArgumentException if an argument is null
     */
    public static <T> T callWith(CallThreads choice, Supplier<T> call) {
        if (choice == null || call == null) {
            throw new IllegalArgumentException("choice and call must not be null, got " + choice + " and " + call);
        }
        CallThreads previous = CHOICE.get();
        CHOICE.set(choice);
        try {
            return call.get();
        } finally {
            CHOICE.set(previous);
        }
    }

    /**
     * @return the choice set on this thread by {@link #callWith} for the call running now, or null outside any such
     *     call
     */
    public static CallThreads choice() {
        return CHOICE.get();
    }

    private static void onCaller(int tasks, IntConsumer task) {
        for (int t = 0; t < tasks; t++) {
            task.accept(t);
        }
    }
}
