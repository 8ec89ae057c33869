package org.rpg4j.sparse.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

/** {@link KernelThreading#PER_CALL} under each {@link CallThreads} choice set by {@link KernelThreading#callWith}. */
class CallThreadsTest {

    private static final int TASKS = 9;

    @Test
    void theCallerChoiceRunsEveryTaskOnceOnTheCallingThreadWhateverTheWork() {
        AtomicReferenceArray<Thread> threads = new AtomicReferenceArray<>(TASKS);
        AtomicIntegerArray runs = new AtomicIntegerArray(TASKS);
        KernelThreading.callWith(CallThreads.CALLER, () -> {
            KernelThreading.PER_CALL.run(TASKS, 1_000_000_000L, t -> {
                runs.incrementAndGet(t);
                threads.set(t, Thread.currentThread());
            });
            return null;
        });
        for (int t = 0; t < TASKS; t++) {
            assertEquals(1, runs.get(t), "task " + t);
            assertEquals(Thread.currentThread(), threads.get(t), "task " + t);
        }
    }

    @Test
    void theThresholdChoiceKeepsLittleWorkOnTheCallerAndHandsLargeWorkToThePool() {
        AtomicReferenceArray<Thread> threads = new AtomicReferenceArray<>(TASKS);
        KernelThreading.callWith(CallThreads.POOL_ABOVE_THRESHOLD, () -> {
            KernelThreading.PER_CALL.run(TASKS, KernelThreading.PARALLEL_WORK - 1, t -> threads.set(t, Thread
                    .currentThread()));
            return null;
        });
        for (int t = 0; t < TASKS; t++) {
            assertSame(Thread.currentThread(), threads.get(t), "task " + t + " below the threshold");
        }
        assumeTrue(KernelThreading.PER_CALL.threads() >= 2, "needs a pool worker");
        // task 0 waits for task 1: with the work at the threshold, only another thread can run it
        CountDownLatch second = new CountDownLatch(1);
        boolean[] waited = new boolean[1];
        KernelThreading.callWith(CallThreads.POOL_ABOVE_THRESHOLD, () -> {
            KernelThreading.PER_CALL.run(2, KernelThreading.PARALLEL_WORK, t -> {
                if (t == 1) {
                    second.countDown();
                } else {
                    try {
                        waited[0] = second.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            return null;
        });
        assertTrue(waited[0], "task 1 ran on another thread while task 0 waited");
    }

    @Test
    void theChoiceIsRestoredAfterTheCallAlsoWhenItThrowsAndOtherThreadingsIgnoreIt() {
        assertNull(KernelThreading.choice());
        CallThreads inner = KernelThreading.callWith(CallThreads.CALLER, () -> {
            CallThreads nested = KernelThreading.callWith(CallThreads.POOL_ABOVE_THRESHOLD, KernelThreading::choice);
            assertEquals(CallThreads.CALLER, KernelThreading.choice(), "outer choice restored");
            return nested;
        });
        assertEquals(CallThreads.POOL_ABOVE_THRESHOLD, inner);
        assertNull(KernelThreading.choice());
        assertThrows(IllegalStateException.class, () -> KernelThreading.callWith(CallThreads.CALLER, () -> {
            throw new IllegalStateException("fails");
        }));
        assertNull(KernelThreading.choice(), "restored after a throw");
        assertEquals(KernelThreading.COMMON_POOL.threads(), KernelThreading.PER_CALL.threads());
        // CALLER_ONLY stays on the caller under the threshold choice
        AtomicReferenceArray<Thread> threads = new AtomicReferenceArray<>(TASKS);
        KernelThreading.callWith(CallThreads.POOL_ABOVE_THRESHOLD, () -> {
            KernelThreading.CALLER_ONLY.run(TASKS, 1_000_000_000L, t -> threads.set(t, Thread.currentThread()));
            return null;
        });
        for (int t = 0; t < TASKS; t++) {
            assertEquals(Thread.currentThread(), threads.get(t), "task " + t);
        }
    }

    @Test
    void aTaskFailureReachesTheCallerUnderTheThresholdChoice() {
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> KernelThreading.callWith(
                CallThreads.POOL_ABOVE_THRESHOLD, () -> {
                    KernelThreading.PER_CALL.run(TASKS, KernelThreading.PARALLEL_WORK, t -> {
                        throw new IllegalStateException("task " + t + " fails");
                    });
                    return null;
                }));
        assertTrue(thrown.getMessage().contains("fails"), thrown.getMessage());
    }

    @Test
    void rejectsNullArguments() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KernelThreading.callWith(null, () -> 1))
                .getMessage().contains("choice and call must not be null"));
        assertThrows(IllegalArgumentException.class, () -> KernelThreading.callWith(CallThreads.CALLER, null));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KernelThreading.PER_CALL.run(-1, 0, t -> {
        })).getMessage().contains("tasks must be >= 0 and task not null, got -1"));
        assertThrows(IllegalArgumentException.class, () -> KernelThreading.CALLER_ONLY.run(2, 0, null));
    }
}
