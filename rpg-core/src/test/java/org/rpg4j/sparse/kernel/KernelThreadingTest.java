package org.rpg4j.sparse.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** Thread counts and task coverage of the two threadings. */
class KernelThreadingTest {

    @Test
    void threadCounts() {
        assertEquals(1, KernelThreading.CALLER_ONLY.threads());
        int pool = KernelThreading.COMMON_POOL.threads();
        assertTrue(pool >= 1 && pool <= Runtime.getRuntime().availableProcessors(), "threads " + pool);
    }

    @Test
    void everyTaskRunsOnce() {
        for (KernelThreading threading : KernelThreading.values()) {
            for (long work : new long[] {0, 10_000_000}) {
                AtomicIntegerArray runs = new AtomicIntegerArray(7);
                threading.run(7, work, runs::incrementAndGet);
                int[] counts = new int[7];
                for (int t = 0; t < 7; t++) {
                    counts[t] = runs.get(t);
                }
                assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1}, counts, threading + " work " + work);
            }
        }
    }
}
