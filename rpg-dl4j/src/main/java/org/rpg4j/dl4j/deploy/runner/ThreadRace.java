package org.rpg4j.dl4j.deploy.runner;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.rpg4j.sparse.kernel.CallThreads;

/**
 * Whether the runner's whole calls at one batch size run every step on the calling thread
 * ({@link CallThreads#CALLER}) or under the fixed rule ({@link CallThreads#POOL_ABOVE_THRESHOLD}: steps of at least
 * 200,000 multiply-adds on the caller and the common pool), decided by wall time ({@link CallThreadsCheck} holds one
 * per batch size). Both choices give bit-identical outputs, so the measurement needs no extra runs: a timed call
 * simply runs under one choice or the other.
 *
 * <ol>
 * <li>The first {@code warmUpCalls} calls run untimed under the initial choice: they hold the JIT warm-up and the
 * kernels' calibration ({@link Calibration}, up to 7 calls), which runs several kernels per call. The runner starts
 * on the caller alone, so that the kernels are chosen for the threads they will most likely run on: calibrated on
 * two threads, the 50 %-shrunk VGG-19 at batch 1 chose the Java kernels for 13 of 16 convolutions where one thread
 * chose oneDNN for 14, then ran them on one thread (7.6 ms per call against 4.8 under load 6); the kernel recheck
 * ({@link ChoiceRecheck}) keeps the fastest run ever seen, so it does not undo such a choice.</li>
 * <li>The next {@code 2 *} {@value #PAIRS} calls alternate between the two choices, the one not kept first. The
 * pool is kept only if its mean time (each choice's slowest call of the round left out) is below the caller's
 * divided by the pool margin; else the caller alone.</li>
 * <li>After a round, the next one starts {@value #FIRST_GAP}, then 2, 4, ... times as many calls later, and may
 * switch the choice (load on the machine changes; the JIT may compile the kernels only after the first round). The
 * means are over all rounds, each earlier round weighing half as much as the one after it. A round costs at most
 * {@value #PAIRS} calls under the slower choice.</li>
 * <li>After {@value #MAX_ROUNDS} rounds (calls 25-40, 57-72 and 105-120 in the runner) the choice is final: no call
 * is timed any more ({@link #settled()}). {@link #settleNow()} runs one round at once and ends there, {@link
 * #preset} takes a choice without timing (a deployer's saved plan).</li>
 * </ol>
 *
 * <p>Mean, not median or fastest, and the single slowest call per choice and round left out: measured in session
 * 11 when each step raced on its own (docs/structured.md, "Session 11: one or two threads per step"). A call's time
 * is the sum of its steps' times, so the expected time counts, tail included: with per-step medians the shrunk
 * ResNet-56 at batch 1 chose the pool for 41 of 58 steps and took 1.01 ms per call against 0.73 ms on the caller
 * alone (under load 10 a pool worker that has claimed a task and is then descheduled makes the caller wait). One
 * disturbed call is left out (under load 9 one caller call of a 0.01 ms step took 1-2 ms and made the pool look 10x
 * faster). The margin keeps the caller unless a second thread clearly pays: its hand-off costs CPU time that the
 * wall time does not show.
 *
 * <p>Not thread-safe (a runner runs one call at a time).
 */
final class ThreadRace {

    /** Untimed calls before the first round: JIT warm-up and the kernels' calibration (7 calls at most). */
    static final int WARM_UP_CALLS = 8;
    /** Pairs of timed calls in a round. */
    static final int PAIRS = 8;
    /** Calls between the end of the first round and the start of the second; doubled after every round. */
    static final int FIRST_GAP = 16;
    /**
     * Rounds after which the choice is final: a settled runner times nothing (session 12: rounds at calls up to 4096
     * and beyond kept moving JMH iterations of one JVM by up to 30 %); three rounds end at about call 120-125, before
     * the kernels' choices settle ({@link ChoiceRecheck#LAST_RECHECK} calls after their decisions at call 3-7), so
     * that they settle on the threads kept for good.
     */
    static final int MAX_ROUNDS = 3;
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
    /** Rounds after which the choice is final. */
    private int lastRound = MAX_ROUNDS;

    /**
     * @param warmUpCalls untimed calls before the first round, &ge; 0 ({@link #WARM_UP_CALLS} in the runner)
     * @param initial the choice of the warm-up calls, kept until a round decides
     * @param poolMargin how many times faster the pool must be to be kept, &ge; 1
     *     ({@link CallThreadsCheck#CALL_MARGIN} in the runner)
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
     * @param call the runner's call under a given choice of threads
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
        if (position < 0 || settled()) {
            return call.apply(current);
        }
        TimingWork.noteTimedCall();
        CallThreads other = current == CallThreads.CALLER ? CallThreads.POOL_ABOVE_THRESHOLD : CallThreads.CALLER;
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

    /** @return true once no call is timed any more: after the last round, or after {@link #preset} */
    boolean settled() {
        return rounds >= lastRound;
    }

    /**
     * Starts a round at the next call (unless one runs now) and makes it the last: the next {@code 2 *}
     * {@value #PAIRS} calls (plus any that held other timing work) decide, after them no call is timed. A settled
     * race stays as it is.
     */
    void settleNow() {
        if (settled()) {
            return;
        }
        roundNow();
        lastRound = rounds + 1;
    }

    /**
     * Starts a round at the next call unless one runs now or the race is settled; later rounds follow as usual
     * (up to {@link #MAX_ROUNDS} in all, at least this one).
     */
    void roundNow() {
        if (settled()) {
            return;
        }
        if (calls < roundStart) {
            roundStart = calls + 1;
        }
        lastRound = Math.max(lastRound, rounds + 1);
    }

    /** @return rounds decided so far */
    int rounds() {
        return rounds;
    }

    /**
     * Takes a choice without timing, for good.
     *
     * @param choice the choice of threads
     * @throws IllegalArgumentException if it is null
     */
    void preset(CallThreads choice) {
        if (choice == null) {
            throw new IllegalArgumentException("choice must not be null");
        }
        current = choice;
        lastRound = rounds;
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

    private void decide(CallThreads other) {
        rounds++;
        boolean pool = millis(CallThreads.POOL_ABOVE_THRESHOLD) * poolMargin < millis(CallThreads.CALLER);
        if ((other == CallThreads.POOL_ABOVE_THRESHOLD) == pool) {
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
