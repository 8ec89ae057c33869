package org.rpg4j.dl4j.deploy.runner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.rpg4j.sparse.kernel.CallThreads;
import org.rpg4j.sparse.kernel.KernelThreading;

/**
 * The runner's choice of threads per batch size: a {@link ThreadRace} over whole calls, after untimed warm-up calls on
 * the calling thread (during which the kernels are calibrated), times calls with every step on the calling thread
 * ({@link CallThreads#CALLER}) against calls under the fixed rule ({@link CallThreads#POOL_ABOVE_THRESHOLD}: steps of
 * at least 200,000 multiply-adds on the caller and the common pool), and keeps the caller unless the pool is {@value
 * #CALL_MARGIN} times faster. Why whole calls: handing work to a pool thread costs more than the step's own wall time
 * shows (waking a parked worker can cost the caller its core later than the step that woke it), and in the idle
 * measurements of session 11 (2 cores) per-step choices that mixed the two were slower than either uniform choice
 * (batch-32 RPG-pruned ResNet-56: 30.4 ms with per-step choices, 30.0 on the caller, 23.8 under the fixed rule;
 * batch-1 channel-shrunk VGG-19: 2.79 ms with per-step choices, 1.91 on the caller). Not thread-safe (a runner runs
 * one call at a time). Once the kernels have settled on the threads it kept, a race between the two complete plans
 * decides for good ({@link PlanRace}, {@link #decideByPlans}).
 */
final class CallThreadsCheck {

    /** Untimed calls on the caller before the first round: warm-up and the kernels' calibration. */
    static final int WARM_UP_CALLS = ThreadRace.WARM_UP_CALLS + 2 * ThreadRace.PAIRS;

    /**
     * The pool must make whole calls this many times faster than the caller alone to be kept (under load 5-12, with
     * 1.25, VGG-19 RPG 95 % at batch 32 went to the caller at 731 against 609 ms per call).
     */
    static final double CALL_MARGIN = 1.1;

    private final Map<Integer, ThreadRace> races = new TreeMap<>();
    /** Per batch size decided by {@link PlanRace}, the report's note on the decision. */
    private final Map<Integer, String> planNotes = new TreeMap<>();

    /**
     * @param batch the call's batch size
     * @param call the runner's call
     * @param <T> its result type
     * @return its result
     */
    <T> T run(int batch, Supplier<T> call) {
        ThreadRace race = race(batch);
        // a call in which a step calibrated or rechecked its kernels does not count (TimingWork)
        long timingWork = TimingWork.count();
        return race.call(choice -> KernelThreading.callWith(choice, call), () -> TimingWork.count() != timingWork);
    }

    private ThreadRace race(int batch) {
        return races.computeIfAbsent(batch, b -> new ThreadRace(WARM_UP_CALLS, CallThreads.CALLER, CALL_MARGIN,
                System::nanoTime));
    }

    /**
     * Makes the next calls with this batch size one last round of the race ({@link ThreadRace#settleNow()}).
     *
     * @param batch the batch size
     */
    void settleNow(int batch) {
        race(batch).settleNow();
    }

    /**
     * Makes the next calls with this batch size a round of the race that is not the last ({@link
     * ThreadRace#roundNow()}).
     *
     * @param batch the batch size
     */
    void roundNow(int batch) {
        race(batch).roundNow();
    }

    /**
     * @param batch the batch size
     * @return rounds of its race decided so far
     */
    int rounds(int batch) {
        ThreadRace race = races.get(batch);
        return race == null ? 0 : race.rounds();
    }

    /**
     * @param batch the batch size
     * @return true once calls with it are no longer timed
     */
    boolean settled(int batch) {
        ThreadRace race = races.get(batch);
        return race != null && race.settled();
    }

    /**
     * @param batch the batch size
     * @return the choice of threads kept for it now ({@link CallThreads#CALLER} before any call)
     */
    CallThreads choice(int batch) {
        ThreadRace race = races.get(batch);
        return race == null ? CallThreads.CALLER : race.choice();
    }

    /**
     * Takes a choice for a batch size without timing ({@link ThreadRace#preset}).
     *
     * @param batch the batch size
     * @param choice the choice of threads
     */
    void preset(int batch, CallThreads choice) {
        race(batch).preset(choice);
    }

    /**
     * Takes the choice of a race between complete plans ({@link PlanRace}) for good, with the note the report gives.
     *
     * @param batch the batch size
     * @param choice the choice of threads
     * @param note what decided it (e.g. the two plans' median call times)
     */
    void decideByPlans(int batch, CallThreads choice, String note) {
        race(batch).preset(choice);
        planNotes.put(batch, note);
    }

    /**
     * @param lines report lines of a step with a choice of threads
     * @return the lines, with a note where whole calls at their batch size (at any batch size seen, for lines of
     *     batch size 0) run every step on the caller
     */
    List<LayerChoice> report(List<LayerChoice> lines) {
        List<LayerChoice> noted = new ArrayList<>();
        for (LayerChoice c : lines) {
            List<String> notes = new ArrayList<>();
            races.forEach((batch, race) -> {
                if ((c.batch() == 0 || c.batch() == batch) && planNotes.containsKey(batch)) {
                    notes.add((c.batch() == 0 ? "batch " + batch + " " : "") + "whole calls put "
                            + (race.choice() == CallThreads.CALLER ? "every step on the caller"
                                    : "steps of at least 200,000 multiply-adds on the caller and the pool")
                            + " (" + planNotes.get(batch) + ")");
                    return;
                }
                if ((c.batch() == 0 || c.batch() == batch) && !race.decided() && race.settled()) {
                    notes.add((c.batch() == 0 ? "batch " + batch + " " : "") + "whole calls put "
                            + (race.choice() == CallThreads.CALLER ? "every step on the caller"
                                    : "steps of at least 200,000 multiply-adds on the caller and the pool")
                            + " (from a saved plan)");
                }
                if ((c.batch() == 0 || c.batch() == batch) && race.decided()) {
                    notes.add((c.batch() == 0 ? "batch " + batch + " " : "") + String.format(java.util.Locale.ROOT,
                            "whole calls put %s (mean %.3f ms on the caller against %.3f ms with the pool)",
                            race.choice() == CallThreads.CALLER ? "every step on the caller"
                                    : "steps of at least 200,000 multiply-adds on the caller and the pool",
                            race.millis(CallThreads.CALLER), race.millis(CallThreads.POOL_ABOVE_THRESHOLD)));
                }
            });
            noted.add(notes.isEmpty() ? c : new LayerChoice(c.name(), c.operation(), c.density(), c.batch(),
                    c.sparseMillis(), c.denseMillis(), c.kernel(), c.calibration() + "; " + String.join("; ",
                            notes)));
        }
        return noted;
    }
}
