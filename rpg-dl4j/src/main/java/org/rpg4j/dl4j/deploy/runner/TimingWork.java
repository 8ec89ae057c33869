package org.rpg4j.dl4j.deploy.runner;

/**
 * Counts, per thread, the step calls that ran kernels only to time them: a calibrating call ({@link Calibration}),
 * a recheck call ({@link ChoiceRecheck}) and a call that runs both kernels of a {@link KernelRace}. The runner's
 * whole-call thread race ({@link CallThreadsCheck}) leaves a call in which the count moved out of its timing: such a
 * call's wall time holds extra kernel runs that have nothing to do with the threads it ran on. Why: on VGG-19 RPG
 * 95 % at batch 32 the kernel rechecks at calls 8, 16, 32 and 64 after each layer's decision fell on calls 35-39 and
 * 67-71 of the runner, inside the thread race's first two rounds (calls 25-40 and 57-72), and added up to the other
 * kernel's two runs per layer (10-70 ms) to whichever choice those calls ran under (docs/deployment.md, session 12).
 *
 * <p>Steps call {@link #note()} on the thread that runs the step (the runner's calling thread); the count is never
 * reset, readers compare two readings. {@link ThreadRace} counts the whole calls it times apart ({@link
 * #noteTimedCall()}): a settled runner ({@link SparseRunner#calibrate}) moves neither count.
 */
final class TimingWork {

    /** Per thread: step calls that timed kernels, and whole calls a thread race timed. */
    private static final ThreadLocal<long[]> COUNT = ThreadLocal.withInitial(() -> new long[2]);

    private TimingWork() {
    }

    /** Notes one step call that runs kernels only to time them. */
    static void note() {
        COUNT.get()[0]++;
    }

    /** @return this thread's count of such step calls so far */
    static long count() {
        return COUNT.get()[0];
    }

    /** Notes one whole call that a {@link ThreadRace} timed. */
    static void noteTimedCall() {
        COUNT.get()[1]++;
    }

    /** @return this thread's count of whole calls a thread race timed so far */
    static long timedCalls() {
        return COUNT.get()[1];
    }
}
