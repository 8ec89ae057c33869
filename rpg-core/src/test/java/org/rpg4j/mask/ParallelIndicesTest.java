package org.rpg4j.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class ParallelIndicesTest {

    @Test
    void runsEveryIndexExactlyOnce() {
        AtomicIntegerArray runs = new AtomicIntegerArray(1000);
        ParallelIndices.forEach(1000, runs::incrementAndGet);
        for (int i = 0; i < 1000; i++) {
            assertEquals(1, runs.get(i), "index " + i);
        }
    }

    @RepeatedTest(5)
    void rethrowsTheLowestIndexErrorAsThrownAfterEveryTaskRan() {
        IllegalStateException[] thrown = new IllegalStateException[64];
        AtomicIntegerArray runs = new AtomicIntegerArray(64);
        RuntimeException e = assertThrows(RuntimeException.class, () -> ParallelIndices.forEach(64, i -> {
            runs.incrementAndGet(i);
            if (i % 7 == 3) {
                thrown[i] = new IllegalStateException("task " + i);
                throw thrown[i];
            }
        }));
        // index 3 is the lowest failing one, whichever thread failed first; the instance, not a wrapper
        assertSame(thrown[3], e);
        for (int i = 0; i < 64; i++) {
            assertEquals(1, runs.get(i), "index " + i);
        }
    }

    @Test
    void zeroTasksIsANoOpAndBadArgumentsAreNamed() {
        ParallelIndices.forEach(0, i -> {
            throw new AssertionError("must not run");
        });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParallelIndices.forEach(-1, i -> {
                }));
        assertEquals(true, e.getMessage().contains("count=-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ParallelIndices.forEach(3, null));
    }
}
