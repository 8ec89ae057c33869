package org.rpg4j.mask;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Runs independent per-index tasks (one per tensor, one per group of tensors) on the calling thread
 * and the common fork-join pool, with the error behaviour of a sequential loop: a failing task's
 * exception reaches the caller as thrown, not wrapped by the pool, and when several fail it is the
 * lowest index's, whatever the thread timing.
 */
public final class ParallelIndices {
    private ParallelIndices() {
    }

    /**
     * Runs {@code task.accept(i)} for every {@code i} in {@code [0, count)}, in parallel; returns when all
     * have finished. Tasks must touch disjoint data. When a task throws, the others still run.
     *
     * @param count number of tasks, {@code >= 0}
     * @param task the task body
     * @throws IllegalArgumentException if {@code count < 0} or {@code task} is null
     * @throws RuntimeException the lowest-index task's runtime exception, as it threw it
     */
    public static void forEach(int count, IntConsumer task) {
        if (count < 0 || task == null) {
            throw new IllegalArgumentException("count must be >= 0 and task not null, got count=" + count
                    + ", task=" + task);
        }
        RuntimeException[] errors = new RuntimeException[count];
        IntStream.range(0, count).parallel().forEach(i -> {
            try {
                task.accept(i);
            } catch (RuntimeException e) {
                errors[i] = e;
            }
        });
        for (RuntimeException e : errors) {
            if (e != null) {
                throw e;
            }
        }
    }
}
