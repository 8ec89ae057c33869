package org.rpg4j.dl4j.deploy.runner;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.rpg4j.sparse.kernel.CallThreads;

/**
 * The runner's last timing decision per batch size (under {@link org.rpg4j.sparse.kernel.KernelThreading#PER_CALL}):
 * a race between two complete plans, each a whole-call choice of threads with the kernel choices settled on those
 * threads. It starts once the steps have settled their kernels on one choice of threads (the kept plan: {@link
 * SparseRunner#calibrate} settles them on the caller, a runner without it on the threads its {@link ThreadRace} kept)
 * and drives the next calls with that batch size:
 *
 * <ol>
 * <li>{@value #WARM_UP_CALLS} untimed calls on the other choice of threads (its code paths warm);</li>
 * <li>on the other threads, the steps' sparse kernel races reopen and settle again ({@link KernelRace#reopen}), then
 * each step's choice between the dense and the sparse kernel settles again on medians of warm alternating runs
 * ({@link CalibratedStep#requestResettle}): so every kernel choice of the other plan is made on the threads that run
 * it;</li>
 * <li>{@value #PAIRS} pairs of turns, alternating which plan goes first, a turn being {@value #TURN_CALLS} whole
 * calls with its plan's kernels ({@link CalibratedStep#adopt}) on its plan's threads of which the last is timed; a
 * timed call that held other timing work ({@link TimingWork}) is run again;</li>
 * <li>the plan with the lower median call time is kept, with its kernels and its threads, for good: the pool only if
 * its median times {@value #TIE_MARGIN} is below the caller's (a tie keeps the caller, whose calls hand nothing to
 * another thread).</li>
 * </ol>
 *
 * <p>Why (docs/deployment.md, sessions 13 and 14): the kernels were chosen on one thread and then judged on two, and
 * on two threads the split oneDNN convolutions gain nothing (0.56-1.09x on VGG-19 RPG 98 % at batch 32) while the
 * sparse kernels gain 1.25-1.47x; the whole-call race then saw the pool with the one-thread kernel choices only
 * 1.0-1.1x faster and kept the caller, where every step on two threads ran 3.1-3.7x faster than DL4J against 2.2x.
 * Medians of warm calls, not means of a round right after the calibration: under load one disturbed call moves a
 * mean of 8, and a round right after the calibration timed the pool's calls 1.3-2.3x slower than later calls.
 *
 * <p>Not thread-safe (a runner runs one call at a time).
 */
final class PlanRace {

    /** Untimed calls on the other choice of threads before its kernels settle. */
    static final int WARM_UP_CALLS = 2;
    /** Timed pairs of turns, one turn per plan. */
    static final int PAIRS = 12;
    /**
     * Calls of one plan in a row, the last of them timed: a call right after the other plan's measured 1.5-1.8x
     * slower with the pool under load (VGG-19 RPG 98 % at batch 32, session 14), where the caller's plan runs oneDNN
     * on OpenMP's two threads, whose workers spin for a while after it.
     */
    static final int TURN_CALLS = 2;
    /** The pool's plan is kept only if its median times this is below the caller's (a tie keeps the caller). */
    static final double TIE_MARGIN = 1.05;
    /** Calls of one settling phase after which the race goes on even if a step still times its kernels. */
    static final int MAX_SETTLE_CALLS = 200;
    private static final double NANOS_PER_MILLI = 1e6;

    /** What the race tells when it has decided. */
    interface Decision {

        /**
         * @param batch the batch size
         * @param choice the threads kept
         * @param note the two plans' medians and how many layers' kernels differ, for the report
         */
        void decided(int batch, CallThreads choice, String note);
    }

    private enum Phase {
        WARM_UP, SETTLE_RACES, SETTLE_CHOICES, RACE, DONE
    }

    /** One batch size's race. */
    private static final class State {
        private Phase phase = Phase.WARM_UP;
        private CallThreads kept;
        private CallThreads other;
        private int phaseCalls;
        private int calls;
        private int position;
        private int repeated;
        private final Map<CallThreads, List<CalibratedStep.Settled>> plans = new EnumMap<>(CallThreads.class);
        private final Map<CallThreads, List<Long>> nanos = new EnumMap<>(CallThreads.class);
        private CallThreads winner;
    }

    private final List<CalibratedStep> steps;
    private final LongSupplier clock;
    private final Decision decision;
    private final Map<Integer, State> states = new HashMap<>();
    /** The batch size last found done, or 0 (read at every steady call without the map's boxed key). */
    private int doneBatch;

    /**
     * @param steps the runner's steps with a choice of kernels, in execution order
     * @param clock nanosecond clock the whole calls are timed on ({@code System::nanoTime}; tests inject a fake)
     * @param decision told once per batch size when the race has decided
     * @throws IllegalArgumentException if an argument is null
     */
    PlanRace(List<CalibratedStep> steps, LongSupplier clock, Decision decision) {
        if (steps == null || clock == null || decision == null) {
            throw new IllegalArgumentException("steps, clock and decision must not be null, got " + steps + ", "
                    + clock + " and " + decision);
        }
        this.steps = List.copyOf(steps);
        this.clock = clock;
        this.decision = decision;
    }

    /**
     * @param batch a batch size
     * @return true once the race at that batch size has decided, or was skipped ({@link #skip})
     */
    boolean done(int batch) {
        if (batch == doneBatch) {
            return true;
        }
        State state = states.get(batch);
        if (state != null && state.phase == Phase.DONE) {
            doneBatch = batch;
            return true;
        }
        return false;
    }

    /**
     * @param batch a batch size
     * @return true while the race at that batch size drives its calls (started and not done)
     */
    boolean running(int batch) {
        State state = states.get(batch);
        return state != null && state.phase != Phase.DONE;
    }

    /**
     * Starts the race at the next call with this batch size (unless it has started).
     *
     * @param batch the batch size
     * @param kept the choice of threads the steps' kernels have settled on
     * @throws IllegalArgumentException if {@code kept} is null
     */
    void start(int batch, CallThreads kept) {
        if (kept == null) {
            throw new IllegalArgumentException("kept must not be null");
        }
        if (states.containsKey(batch)) {
            return;
        }
        State state = new State();
        state.kept = kept;
        state.other = kept == CallThreads.CALLER ? CallThreads.POOL_ABOVE_THRESHOLD : CallThreads.CALLER;
        states.put(batch, state);
    }

    /**
     * Marks a batch size done without a race (its choices came from a saved plan).
     *
     * @param batch the batch size
     */
    void skip(int batch) {
        State state = new State();
        state.phase = Phase.DONE;
        states.put(batch, state);
    }

    /**
     * @param batch a batch size
     * @return the threads the race kept, or null before it decided (or where it was skipped)
     */
    CallThreads winner(int batch) {
        State state = states.get(batch);
        return state == null ? null : state.winner;
    }

    /**
     * Runs one call of a running race (see the class comment for what each call does).
     *
     * @param batch the call's batch size, whose race runs ({@link #running})
     * @param call the runner's call under a given choice of threads
     * @param <T> its result type
     * @return its output
     * @throws IllegalStateException if no race runs at that batch size
     */
    <T> T call(int batch, Function<CallThreads, T> call) {
        State state = states.get(batch);
        if (state == null || state.phase == Phase.DONE) {
            throw new IllegalStateException("no plan race runs at batch " + batch);
        }
        state.calls++;
        switch (state.phase) {
            case WARM_UP -> {
                T output = call.apply(state.other);
                if (++state.phaseCalls >= WARM_UP_CALLS) {
                    state.plans.put(state.kept, snapshot(batch));
                    steps.forEach(step -> step.reopenSparseRaces(batch));
                    next(state, Phase.SETTLE_RACES);
                }
                return output;
            }
            case SETTLE_RACES, SETTLE_CHOICES -> {
                long before = TimingWork.count();
                T output = call.apply(state.other);
                boolean quiet = TimingWork.count() == before;
                if (quiet || ++state.phaseCalls >= MAX_SETTLE_CALLS) {
                    if (state.phase == Phase.SETTLE_RACES) {
                        steps.forEach(step -> step.requestResettle(batch));
                        next(state, Phase.SETTLE_CHOICES);
                    } else {
                        state.plans.put(state.other, snapshot(batch));
                        next(state, Phase.RACE);
                    }
                }
                return output;
            }
            default -> {
                return race(batch, state, call);
            }
        }
    }

    /**
     * A call of the race proper. Pair p is positions 4p to 4p+3: a turn of {@value #TURN_CALLS} calls of one plan,
     * then a turn of the other, the plan that goes first alternating from pair to pair; the last call of a turn is
     * timed, the ones before it absorb the switch (the other plan's OpenMP workers still spinning after its oneDNN
     * calls, the pool's parked workers, kernels and layouts not run for a call).
     */
    private <T> T race(int batch, State state, Function<CallThreads, T> call) {
        int pair = state.position / (2 * TURN_CALLS);
        int inPair = state.position % (2 * TURN_CALLS);
        boolean keptFirst = pair % 2 == 0;
        CallThreads used = keptFirst == (inPair < TURN_CALLS) ? state.kept : state.other;
        boolean timed = inPair % TURN_CALLS == TURN_CALLS - 1;
        if (inPair % TURN_CALLS == 0) {
            adopt(batch, state, used);
        }
        long timing = TimingWork.count();
        long start = clock.getAsLong();
        T output = call.apply(used);
        long nanos = clock.getAsLong() - start;
        if (timed && TimingWork.count() != timing && state.repeated < 2 * PAIRS) {
            // the call held other timing work: its time does not count, the position runs again
            state.repeated++;
            return output;
        }
        if (timed) {
            state.nanos.computeIfAbsent(used, u -> new ArrayList<>()).add(nanos);
        }
        state.position++;
        if (state.position == 2 * TURN_CALLS * PAIRS) {
            decide(batch, state);
        }
        return output;
    }

    private void decide(int batch, State state) {
        double caller = median(state.nanos.get(CallThreads.CALLER));
        double pool = median(state.nanos.get(CallThreads.POOL_ABOVE_THRESHOLD));
        state.winner = pool * TIE_MARGIN < caller ? CallThreads.POOL_ABOVE_THRESHOLD : CallThreads.CALLER;
        List<CalibratedStep.Settled> callerPlan = state.plans.get(CallThreads.CALLER);
        List<CalibratedStep.Settled> poolPlan = state.plans.get(CallThreads.POOL_ABOVE_THRESHOLD);
        int differing = 0;
        for (int i = 0; i < steps.size(); i++) {
            if (callerPlan.get(i).kernel() != poolPlan.get(i).kernel()) {
                differing++;
            }
        }
        adopt(batch, state, state.winner);
        state.phase = Phase.DONE;
        String note = String.format(Locale.ROOT, "plans raced over %d calls, each with its kernels settled on its own"
                + " threads: median %.3f ms on the caller against %.3f ms with the pool, %d of %d layers' kernels"
                + " differ", state.calls, caller / NANOS_PER_MILLI, pool / NANOS_PER_MILLI, differing, steps.size());
        decision.decided(batch, state.winner, note);
    }

    /** Gives every step the kernel of the plan of {@code threads}. */
    private void adopt(int batch, State state, CallThreads threads) {
        List<CalibratedStep.Settled> plan = state.plans.get(threads);
        String note = state.winner != null ? "; kernel settled on the threads kept ("
                + (threads == CallThreads.CALLER ? "caller" : "caller and pool") + ", plan race)" : "";
        for (int i = 0; i < steps.size(); i++) {
            if (plan.get(i).kernel() != null) {
                steps.get(i).adopt(batch, plan.get(i), note);
            }
        }
    }

    private List<CalibratedStep.Settled> snapshot(int batch) {
        return steps.stream().map(step -> step.settledChoice(batch)).toList();
    }

    private static void next(State state, Phase phase) {
        state.phase = phase;
        state.phaseCalls = 0;
    }

    private static double median(List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}
