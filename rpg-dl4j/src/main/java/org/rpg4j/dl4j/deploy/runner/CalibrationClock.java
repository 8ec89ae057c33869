package org.rpg4j.dl4j.deploy.runner;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.LongSupplier;

/**
 * The clock a runner times its kernel races on (the calibration, its rechecks, the per-image against batched or
 * small-plane race). When every kernel runs on the calling thread (the runner's threading has one thread, native ops
 * on one OpenMP thread the runner sets, {@link NativeThreading#JAVA_THREADS}), the calling thread's CPU time is the
 * whole work of a kernel and is not lengthened when the thread is preempted; wall time is, by the other processes'
 * share of the cores: on VGG-19 RPG at batch 32, one thread, load 7-10 on 2 cores, calibration times were 1.5-2x the
 * kernels' CPU times, and races 1.3-2x apart were decided either way between runs (docs/deployment.md, sessions 10
 * and 11). With more threads the calling thread's CPU time misses the others' work, so the clock is wall time.
 */
final class CalibrationClock {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CalibrationClock() {
    }

    /**
     * @param options the runner's options
     * @return the calling thread's CPU time in ns when every kernel runs on it (see the class comment) and the JVM
     *     measures it, else {@code System.nanoTime}
     */
    static LongSupplier of(RunnerOptions options) {
        return onCallingThread(options) && THREADS.isCurrentThreadCpuTimeSupported() && THREADS
                .isThreadCpuTimeEnabled() ? THREADS::getCurrentThreadCpuTime : System::nanoTime;
    }

    /**
     * @param options the runner's options
     * @return true if all of a step's work runs on the calling thread: one kernel thread, and native ops limited to
     *     one OpenMP thread by the runner
     */
    static boolean onCallingThread(RunnerOptions options) {
        return options.threading().threads() == 1 && options.nativeThreading() == NativeThreading.JAVA_THREADS
                && OpenMpThreads.available();
    }
}
