package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** The per-thread OpenMP count and the advice for the OPENMP native threading. */
class OpenMpThreadsTest {

    @Test
    void countIsPerThreadAndRestored() throws InterruptedException {
        Nd4j.create(1);
        assertTrue(OpenMpThreads.available(), "the CPU backend's OpenMP count is reachable");
        int before = OpenMpThreads.current();
        int previous = OpenMpThreads.limit(1);
        try {
            assertEquals(before, previous);
            assertEquals(1, OpenMpThreads.current());
            int[] other = new int[1];
            Thread thread = new Thread(() -> other[0] = OpenMpThreads.current());
            thread.start();
            thread.join();
            // a new thread starts from the process default, not from this thread's count
            assertTrue(other[0] >= 1 && (before == 1 || other[0] > 1), "other thread's count " + other[0]);
        } finally {
            OpenMpThreads.restore(previous);
        }
        assertEquals(before, OpenMpThreads.current());
    }

    @Test
    void adviceUnlessThePolicyIsPassiveOrTheSpinCountSet() {
        assertTrue(OpenMpThreads.advice(Map.of()).orElseThrow().contains("OMP_WAIT_POLICY unset"));
        assertTrue(OpenMpThreads.advice(Map.of("OMP_WAIT_POLICY", "active")).orElseThrow().contains("ACTIVE"));
        assertTrue(OpenMpThreads.advice(Map.of("OMP_WAIT_POLICY", "passive")).isEmpty());
        assertTrue(OpenMpThreads.advice(Map.of("GOMP_SPINCOUNT", "0")).isEmpty());
    }
}
