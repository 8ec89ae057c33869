package org.rpg4j.benchmarks.sparse;

import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rpg4j.sparse.kernel.KernelThreading;

/**
 * What handing half of a kernel call to a second thread costs: one call of two independent tasks of
 * {@code taskMicros} of arithmetic each, after {@code gapMicros} of arithmetic on the caller alone (a runner step's
 * sequential work between two parallel calls, during which a pool worker goes idle). Splits: {@code CALLER} (both
 * tasks on the caller: the reference), {@code STREAM} (a parallel {@code IntStream}, {@link
 * KernelThreading#COMMON_POOL} above its threshold: the runner's split before session 11, and its fixed rule now),
 * {@code CLAIMED} (the caller and a forked common-pool task claim tasks from a counter, a still-queued helper taken
 * back: the split {@code KernelThreading} offered as {@code CallThreads.CALLER_AND_POOL} in session 11, removed from
 * the library in session 12 when the runner no longer used it), {@code SPIN} (the same claiming with a
 * persistent worker thread that spins for up to {@value #SPIN_NANOS} ns after its last job before it parks). The
 * timed region holds the gap and the call; the split's cost is its time minus CALLER's.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class HandOffBenchmark {

    /** How long the persistent worker spins for a new job before it parks. */
    static final long SPIN_NANOS = 50_000;
    /** Dependent multiply-adds per microsecond, roughly (a 4-cycle latency chain at 3 GHz). */
    private static final int STEPS_PER_MICRO = 700;

    /** How the two tasks are run. */
    @Param({"CALLER", "STREAM", "CLAIMED", "SPIN"})
    public String split;

    /** Arithmetic per task, in microseconds (roughly). */
    @Param({"2", "20", "200"})
    public int taskMicros;

    /** Arithmetic on the caller alone before each call, in microseconds (roughly). */
    @Param({"0", "20"})
    public int gapMicros;

    private final float[] sink = new float[64];
    private IntConsumer task;
    private SpinningWorker worker;

    /** Builds the task and, for SPIN, starts the worker. */
    @Setup(Level.Trial)
    public void setUp() {
        int steps = taskMicros * STEPS_PER_MICRO;
        task = t -> sink[t * 16] = spin(sink[t * 16] + 1, steps);
        if ("SPIN".equals(split)) {
            worker = new SpinningWorker();
            worker.start();
        }
    }

    /** Stops the SPIN worker. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (worker != null) {
            worker.interrupt();
        }
    }

    /** @return a value of the caller's gap work (so it is not removed) */
    @Benchmark
    public float call() {
        float gap = spin(sink[32], gapMicros * STEPS_PER_MICRO);
        switch (split) {
            case "CALLER" -> KernelThreading.CALLER_ONLY.run(2, Long.MAX_VALUE, task);
            case "STREAM" -> KernelThreading.COMMON_POOL.run(2, Long.MAX_VALUE, task);
            case "CLAIMED" -> claimed(2, task);
            case "SPIN" -> worker.run(2, task);
            default -> throw new IllegalArgumentException("split must be CALLER, STREAM, CLAIMED or SPIN, got "
                    + split);
        }
        return gap + sink[0] + sink[16];
    }

    /**
     * The caller and up to {@code COMMON_POOL.threads() - 1} forked helpers claim tasks from one counter. A helper
     * still queued when the caller has run out of tasks is taken back ({@code tryUnfork}), so the caller waits only
     * for tasks a helper has started; a parallel stream instead splits the range into several subtasks up front and
     * waits for each.
     */
    private static void claimed(int tasks, IntConsumer task) {
        AtomicInteger next = new AtomicInteger();
        Runnable claim = () -> {
            for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
                task.accept(t);
            }
        };
        int helpers = Math.min(KernelThreading.COMMON_POOL.threads(), tasks) - 1;
        ForkJoinTask<?>[] forked = new ForkJoinTask<?>[helpers];
        for (int h = 0; h < helpers; h++) {
            forked[h] = ForkJoinTask.adapt(claim).fork();
        }
        try {
            claim.run();
        } finally {
            // after a task threw on the caller, no helper starts another one
            next.set(tasks);
            for (int h = helpers - 1; h >= 0; h--) {
                if (!forked[h].tryUnfork()) {
                    forked[h].join();
                }
            }
        }
    }

    private static float spin(float start, int steps) {
        float x = start;
        for (int i = 0; i < steps; i++) {
            x = x * 0.999f + 0.001f;
        }
        return x;
    }

    /**
     * A daemon thread that claims tasks of the caller's jobs, spinning between jobs before it parks; a job it has
     * not picked up by the time the caller has claimed every task is taken back, so the caller never waits for a
     * wake-up.
     */
    private static final class SpinningWorker extends Thread {
        private final AtomicReference<IntConsumer> job = new AtomicReference<>();
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger busy = new AtomicInteger();
        private volatile int tasks;
        private volatile boolean parked;

        SpinningWorker() {
            super("hand-off-spinner");
            setDaemon(true);
        }

        void run(int count, IntConsumer body) {
            next.set(0);
            tasks = count;
            busy.set(1);
            job.set(body);
            if (parked) {
                LockSupport.unpark(this);
            }
            claim(count, body);
            if (!job.compareAndSet(body, null)) {
                while (busy.get() != 0) {
                    Thread.onSpinWait();
                }
            }
        }

        private void claim(int count, IntConsumer body) {
            for (int t = next.getAndIncrement(); t < count; t = next.getAndIncrement()) {
                body.accept(t);
            }
        }

        @Override
        public void run() {
            long idleSince = System.nanoTime();
            while (!isInterrupted()) {
                IntConsumer body = job.getAndSet(null);
                if (body != null) {
                    claim(tasks, body);
                    busy.set(0);
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince > SPIN_NANOS) {
                    parked = true;
                    if (job.get() == null) {
                        LockSupport.park(this);
                    }
                    parked = false;
                    idleSince = System.nanoTime();
                } else {
                    Thread.onSpinWait();
                }
            }
        }
    }
}
