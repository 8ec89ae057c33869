package org.rpg4j.dl4j.deploy.runner;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.rpg4j.sparse.kernel.CallThreads;

/**
 * Whether one step's calls at one batch size run their Java kernels on the calling thread alone or on it and the
 * common pool ({@link CallThreads}), decided by wall time. Both choices give bit-identical outputs, so the
 * measurement needs no extra runs: a timed call simply runs under one choice or the other.
 *
 * <ol>
 * <li>The first {@code warmUpCalls} calls run on the caller and the pool (as before this race) untimed: they hold
 * the JIT warm-up and the step's own kernel calibration ({@link Calibration}, up to 7 calls), which runs several
 * kernels per call.</li>
 * <li>The next {@code 2 * pairs} calls alternate between the two choices, the one not kept first; the choice with
 * the lower median wins, a tie keeps the current one. Median rather than fastest: the hand-off to a pool thread is
 * itself the random cost being measured (a parked worker's wake-up, a core busy with another process), so the best
 * of a few pool runs would flatter it; the median also ignores the one call in a round that a {@link ChoiceRecheck}
 * doubles.</li>
 * <li>After a round, the next one (of {@value #RECHECK_PAIRS} pairs) starts {@value #FIRST_GAP}, then 2, 4, ... times
 * as many calls later, and may switch the choice (load on the machine changes; the JIT may compile the kernels only
 * after the first round). A recheck costs at most {@value #RECHECK_PAIRS} calls under the slower choice.</li>
 * </ol>
 *
 * <p>Not thread-safe (a step runs on one thread at a time).
 */
final class ThreadRace {

    /** Untimed calls before the first round: JIT warm-up and the step's kernel calibration (7 calls at most). */
    static final int WARM_UP_CALLS = 8;
    /** Pairs of timed calls in the first round. */
    static final int FIRST_PAIRS = 5;
    /** Pairs of timed calls in a later round. */
    static final int RECHECK_PAIRS = 3;
    /** Calls between the end of the first round and the start of the second; doubled after every round. */
    static final int FIRST_GAP = 16;
    private static final double NANOS_PER_MILLI = 1e6;

    private final int warmUpCalls;
    private final LongSupplier clock;
    private CallThreads current = CallThreads.CALLER_AND_POOL;
    private long calls;
    /** Call number (1-based) at which the running or next round starts. */
    private long roundStart;
    private int roundPairs;
    private long gap = FIRST_GAP;
    private final Map<CallThreads, long[]> roundNanos = new EnumMap<>(CallThreads.class);
    private final Map<CallThreads, Double> medianMillis = new EnumMap<>(CallThreads.class);
    private int rounds;
    private int switches;
    private String lastSwitch = "";

    /**
     * @param warmUpCalls untimed calls before the first round, &ge; 0 ({@link #WARM_UP_CALLS} in the runner)
     * @param clock nanosecond clock ({@code System::nanoTime}; tests inject a fake)
     * @throws IllegalArgumentException if {@code warmUpCalls < 0} or the clock is null
     */
    ThreadRace(int warmUpCalls, LongSupplier clock) {
        if (warmUpCalls < 0 || clock == null) {
            throw new IllegalArgumentException("warmUpCalls must be >= 0 and clock not null, got " + warmUpCalls
                    + " and " + clock);
        }
        this.warmUpCalls = warmUpCalls;
        this.clock = clock;
        this.roundStart = warmUpCalls + 1L;
        this.roundPairs = FIRST_PAIRS;
    }

    /**
     * Runs one call under the choice this call gets (timed if it belongs to a round).
     *
     * @param call the step's call under a given choice of threads
     * @return its output
     */
    Tensor call(Function<CallThreads, Tensor> call) {
        calls++;
        long position = calls - roundStart;
        if (position < 0) {
            return call.apply(current);
        }
        int pair = (int) (position / 2);
        CallThreads other = current == CallThreads.CALLER ? CallThreads.CALLER_AND_POOL : CallThreads.CALLER;
        CallThreads used = position % 2 == 0 ? other : current;
        long start = clock.getAsLong();
        Tensor output = call.apply(used);
        long nanos = clock.getAsLong() - start;
        roundNanos.computeIfAbsent(used, u -> new long[FIRST_PAIRS])[pair] = nanos;
        if (position == 2L * roundPairs - 1) {
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
     * @return its median wall time in ms in the last round, NaN before the first round ends
     */
    double millis(CallThreads choice) {
        return medianMillis.getOrDefault(choice, Double.NaN);
    }

    /** @return the report: the choice, the last round's medians, the switches; or that no round has ended */
    String note() {
        if (rounds == 0) {
            return String.format(Locale.ROOT, "threads: not decided yet (%d calls)", calls);
        }
        return String.format(Locale.ROOT, "threads: %s (median %.3f ms on the caller, %.3f ms with the pool; %d "
                + "rounds)%s", current == CallThreads.CALLER ? "caller only" : "caller and pool",
                millis(CallThreads.CALLER), millis(CallThreads.CALLER_AND_POOL), rounds, switches == 0 ? ""
                        : lastSwitch + (switches > 1 ? " (" + switches + " switches)" : ""));
    }

    private void decide(CallThreads other) {
        double otherMillis = median(roundNanos.get(other), roundPairs) / NANOS_PER_MILLI;
        double currentMillis = median(roundNanos.get(current), roundPairs) / NANOS_PER_MILLI;
        medianMillis.put(other, otherMillis);
        medianMillis.put(current, currentMillis);
        rounds++;
        if (otherMillis < currentMillis) {
            if (rounds > 1) {
                switches++;
                lastSwitch = String.format(Locale.ROOT, "; round %d at call %d switched to %s", rounds, calls,
                        other == CallThreads.CALLER ? "the caller only" : "caller and pool");
            }
            current = other;
        }
        roundStart = calls + 1 + gap;
        gap = Math.min(gap * 2, Long.MAX_VALUE / 4);
        roundPairs = RECHECK_PAIRS;
    }

    /** @return the median of the first {@code count} values (the mean of the middle two for an even count) */
    private static double median(long[] values, int count) {
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        return count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2.0;
    }
}
