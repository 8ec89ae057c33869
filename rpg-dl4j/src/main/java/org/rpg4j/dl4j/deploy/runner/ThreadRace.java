package org.rpg4j.dl4j.deploy.runner;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.rpg4j.sparse.kernel.CallThreads;

/**
 * Whether one step's calls at one batch size run their Java kernels on the calling thread alone or on it and the
 * common pool ({@link CallThreads}), decided by wall time. Both choices give bit-identical outputs, so the
 * measurement needs no extra runs: a timed call simply runs under one choice or the other.
 *
 * <ol>
 * <li>The first {@code warmUpCalls} calls run untimed under the initial choice: they hold the JIT warm-up and the
 * step's own kernel calibration ({@link Calibration}, up to 7 calls), which runs several kernels per call. A step
 * starts on the caller alone, so that its kernel is chosen for the threads it will most likely run on: calibrated
 * on two threads, the 50 %-shrunk VGG-19 at batch 1 chose the Java kernels for 13 of 16 convolutions where one
 * thread chose oneDNN for 14, then ran them on one thread (7.6 ms per call against 4.8 under load 6); the kernel
 * recheck ({@link ChoiceRecheck}) keeps the fastest run ever seen, so it does not undo such a choice.</li>
 * <li>The next {@code 2 *} {@value #PAIRS} calls alternate between the two choices, the one not kept first. The
 * caller and pool is kept only if its mean time (each choice's slowest call of the round left out) is below the
 * caller's divided by the pool margin ({@value #POOL_MARGIN} for a step); else the caller alone.</li>
 * <li>After a round, the next one starts {@value #FIRST_GAP}, then 2, 4, ... times as many calls later, and may
 * switch the choice (load on the machine changes; the JIT may compile the kernels only after the first round). The
 * means are over all rounds, each earlier round weighing half as much as the one after it. A round costs at most
 * {@value #PAIRS} calls under the slower choice.</li>
 * </ol>
 *
 * <p>Mean, not median or fastest: a network call's time is the sum of its steps' times, so each step's expected
 * time is what counts, tail included. Under load (10 on 2 cores) a pool worker that has claimed a task and is then
 * descheduled makes the caller wait for it, rarely per step but at most calls of a 58-step network: the shrunk
 * ResNet-56 at batch 1 with per-step medians (0.010 ms with the pool against 0.013 on the caller for most steps)
 * chose the pool for 41 of 58 steps and took 1.01 ms per call against 0.73 ms on the caller alone. Only the single
 * slowest call per choice and round is left out (under load 9 one caller call of a 0.01 ms step took 1-2 ms and made
 * the pool look 10x faster). The margin keeps a step on one thread unless a second one clearly pays: its hand-off
 * costs CPU time and a woken worker competes with the caller's next steps, neither of which the step's own wall
 * time shows (with a margin of 1.1 and no call left out, 3 of the 70 %-shrunk ResNet-56's 58 steps chose the pool,
 * on caller calls hit by the load, and the network measured 0.53 ms per call against 0.46 ms on the caller alone).
 *
 * <p>Not thread-safe (a step runs on one thread at a time).
 */
final class ThreadRace {

    /** Untimed calls before the first round: JIT warm-up and the step's kernel calibration (7 calls at most). */
    static final int WARM_UP_CALLS = 8;
    /** Pairs of timed calls in a round. */
    static final int PAIRS = 8;
    /** A step's caller and pool must be this many times faster than the caller alone to be kept. */
    static final double POOL_MARGIN = 1.25;
    /** Calls between the end of the first round and the start of the second; doubled after every round. */
    static final int FIRST_GAP = 16;
    private static final double NANOS_PER_MILLI = 1e6;

    private final LongSupplier clock;
    private CallThreads current;
    private final double poolMargin;
    private long calls;
    /** Call number (1-based) at which the running or next round starts. */
    private long roundStart;
    private long gap = FIRST_GAP;
    /** Per choice, the weighted sum of its timed calls' nanoseconds and their weighted count. */
    private final Map<CallThreads, double[]> sums = new EnumMap<>(CallThreads.class);
    private int rounds;
    private int switches;
    private String lastSwitch = "";

    /**
     * @param warmUpCalls untimed calls before the first round, &ge; 0 ({@link #WARM_UP_CALLS} in the runner)
     * @param initial the choice of the warm-up calls, kept until a round decides
     * @param poolMargin how many times faster the pool must be to be kept, &ge; 1 ({@link #POOL_MARGIN} for a step)
     * @param clock nanosecond clock ({@code System::nanoTime}; tests inject a fake)
     * @throws IllegalArgumentException if {@code warmUpCalls < 0}, {@code poolMargin < 1} (or NaN), or the initial
     *     choice or the clock is null
     */
    ThreadRace(int warmUpCalls, CallThreads initial, double poolMargin, LongSupplier clock) {
        if (warmUpCalls < 0 || initial == null || clock == null || !(poolMargin >= 1)) {
            throw new IllegalArgumentException("warmUpCalls must be >= 0, poolMargin >= 1, initial and clock not "
                    + "null, got " + warmUpCalls + ", " + poolMargin + ", " + initial + " and " + clock);
        }
        this.poolMargin = poolMargin;
        this.current = initial;
        this.clock = clock;
        this.roundStart = warmUpCalls + 1L;
    }

    /**
     * Runs one call under the choice this call gets (timed if it belongs to a round).
     *
     * @param call the step's (or the runner's) call under a given choice of threads
     * @param <T> its result type
     * @return its output
     */
    <T> T call(Function<CallThreads, T> call) {
        return call(call, () -> false);
    }

    /**
     * Runs one call as {@link #call(Function)}, but a timed call for which {@code untimed} says true after it ran does
     * not count: the round's position it took is run again at the next call, under the same choice. For calls that
     * held work other than the call's own (kernel calibration or rechecks, {@link TimingWork}).
     *
     * @param call the step's (or the runner's) call under a given choice of threads
     * @param untimed read after the call: true if its time is not to count
     * @param <T> its result type
     * @return its output
     */
    <T> T call(Function<CallThreads, T> call, BooleanSupplier untimed) {
        calls++;
        long position = calls - roundStart;
        if (position < 0) {
            return call.apply(current);
        }
        CallThreads other = current == CallThreads.CALLER ? CallThreads.CALLER_AND_POOL : CallThreads.CALLER;
        CallThreads used = position % 2 == 0 ? other : current;
        long start = clock.getAsLong();
        T output = call.apply(used);
        long nanos = clock.getAsLong() - start;
        if (untimed.getAsBoolean()) {
            roundStart++;
            return output;
        }
        double[] sum = sums.computeIfAbsent(used, u -> new double[3]);
        sum[2] = Math.max(sum[2], nanos);
        sum[0] += nanos;
        sum[1]++;
        if (position == 2L * PAIRS - 1) {
            // each choice's slowest call of the round does not count: one garbage collection or preempted call
            for (double[] choice : sums.values()) {
                choice[0] -= choice[2];
                choice[1]--;
                choice[2] = 0;
            }
            decide(other);
        }
        return output;
    }

    /** @return the choice kept now */
    CallThreads choice() {
        return current;
    }

    /** @return true once the first round has decided */
    boolean decided() {
        return rounds > 0;
    }

    /**
     * @param choice one of the two choices
     * @return its mean wall time in ms over the rounds so far (earlier rounds weighing less), NaN before the first
     *     round ends
     */
    double millis(CallThreads choice) {
        double[] sum = sums.get(choice);
        return rounds == 0 || sum == null ? Double.NaN : sum[0] / sum[1] / NANOS_PER_MILLI;
    }

    /** @return the report: the choice, the weighted means, the switches; or that no round has ended */
    String note() {
        if (rounds == 0) {
            return String.format(Locale.ROOT, "threads: not decided yet (%d calls)", calls);
        }
        return String.format(Locale.ROOT, "threads: %s (mean %.4f ms on the caller, %.4f ms with the pool; %d "
                + "rounds)%s", current == CallThreads.CALLER ? "caller only" : "caller and pool",
                millis(CallThreads.CALLER), millis(CallThreads.CALLER_AND_POOL), rounds, switches == 0 ? ""
                        : lastSwitch + (switches > 1 ? " (" + switches + " switches)" : ""));
    }

    private void decide(CallThreads other) {
        rounds++;
        boolean pool = millis(CallThreads.CALLER_AND_POOL) * poolMargin < millis(CallThreads.CALLER);
        if ((other == CallThreads.CALLER_AND_POOL) == pool) {
            if (rounds > 1) {
                switches++;
                lastSwitch = String.format(Locale.ROOT, "; round %d at call %d switched to %s", rounds, calls,
                        other == CallThreads.CALLER ? "the caller only" : "caller and pool");
            }
            current = other;
        }
        roundStart = calls + 1 + gap;
        gap = Math.min(gap * 2, Long.MAX_VALUE / 4);
        // exponential forgetting: each earlier round weighs half as much as the one after it (the means are unchanged)
        for (double[] sum : sums.values()) {
            sum[0] /= 2;
            sum[1] /= 2;
        }
    }
}
