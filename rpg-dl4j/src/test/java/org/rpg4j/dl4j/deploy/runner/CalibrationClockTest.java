package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.rpg4j.sparse.kernel.KernelThreading;

/** {@link CalibrationClock}: thread CPU time only when every kernel runs on the calling thread, else wall time. */
class CalibrationClockTest {

    private static final long SLEEP_MILLIS = 60;

    /** @return how far {@code clock} advanced while the thread slept {@link #SLEEP_MILLIS} ms, in ms */
    private static double advanceWhileSleeping(LongSupplier clock) throws InterruptedException {
        long start = clock.getAsLong();
        Thread.sleep(SLEEP_MILLIS);
        return (clock.getAsLong() - start) / 1e6;
    }

    @Test
    void oneThreadRunsTimeOnTheThreadsCpuClockOthersOnWallTime() throws InterruptedException {
        RunnerOptions oneThread = RunnerOptions.defaults().withThreading(KernelThreading.CALLER_ONLY);
        assertEquals(OpenMpThreads.available(), CalibrationClock.onCallingThread(oneThread));
        if (CalibrationClock.onCallingThread(oneThread)) {
            // a sleeping thread uses no CPU: the CPU clock stands still, wall time would advance 60 ms
            assertTrue(advanceWhileSleeping(CalibrationClock.of(oneThread)) < SLEEP_MILLIS / 3.0);
        }
        RunnerOptions openMp = oneThread.withNativeThreading(NativeThreading.OPENMP);
        assertFalse(CalibrationClock.onCallingThread(openMp), "OpenMP's own threads do native work");
        assertTrue(advanceWhileSleeping(CalibrationClock.of(openMp)) >= SLEEP_MILLIS - 1);
        RunnerOptions pool = RunnerOptions.defaults().withThreading(KernelThreading.COMMON_POOL);
        assertEquals(KernelThreading.COMMON_POOL.threads() == 1 && OpenMpThreads.available(),
                CalibrationClock.onCallingThread(pool));
        if (KernelThreading.COMMON_POOL.threads() > 1) {
            assertTrue(advanceWhileSleeping(CalibrationClock.of(pool)) >= SLEEP_MILLIS - 1);
        }
    }
}
