package org.rpg4j.dl4j.deploy.runner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.rpg4j.sparse.kernel.CallThreads;
import org.rpg4j.sparse.kernel.KernelThreading;

/**
 * Checks the steps' choices of threads ({@link StepThreads}) on whole runner calls, per batch size: a {@link
 * ThreadRace} over calls, starting once the steps' first round has decided, times calls with every step on the calling
 * thread ({@link CallThreads#CALLER} set around the call) against calls with the steps' own choices, and keeps the
 * steps on the caller unless their choices are {@value #CALL_MARGIN} times faster. Why: handing work to a pool thread
 * costs more than the step's own wall time shows. On 2 cores under load 9-10 the VGG-19 with 70 % of its channels
 * removed, at batch 1, took 10.6 ms per call with 1 of its 22 steps on the pool (per-step means 0.15 against 0.35 ms)
 * against 2.0 ms with every step on the caller: waking a parked worker on a busy machine can cost the caller its core
 * for a scheduler slice, later than the step that woke it. Not thread-safe (a runner runs one call at a time).
 */
final class CallThreadsCheck {

    /** Untimed calls before the first round: those of the steps' first round, which decide their choices. */
    static final int WARM_UP_CALLS = ThreadRace.WARM_UP_CALLS + 2 * ThreadRace.PAIRS;

    /**
     * The steps' choices must make whole calls this many times faster than the caller alone to be kept: a whole
     * call's wall time shows the hand-off's costs that a step's does not, so the margin is smaller than a step's
     * (under load 5-12, with 1.25, VGG-19 RPG 95 % at batch 32 went to the caller at 731 against 609 ms per call).
     */
    static final double CALL_MARGIN = 1.1;

    private final Map<Integer, ThreadRace> races = new TreeMap<>();

    /**
     * @param batch the call's batch size
     * @param call the runner's call
     * @param <T> its result type
     * @return its result
     */
    <T> T run(int batch, Supplier<T> call) {
        ThreadRace race = races.computeIfAbsent(batch, b -> new ThreadRace(WARM_UP_CALLS, CallThreads.CALLER_AND_POOL,
                CALL_MARGIN, System::nanoTime));
        return race.call(choice -> choice == CallThreads.CALLER ? KernelThreading.callWith(CallThreads.CALLER, call)
                : call.get());
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
                if ((c.batch() == 0 || c.batch() == batch) && race.decided() && race.choice() == CallThreads.CALLER) {
                    notes.add((c.batch() == 0 ? "batch " + batch + " " : "") + String.format(java.util.Locale.ROOT,
                            "whole calls put every step on the caller (mean %.3f ms against %.3f ms as the steps "
                                    + "chose)", race.millis(CallThreads.CALLER), race.millis(
                                            CallThreads.CALLER_AND_POOL)));
                }
            });
            noted.add(notes.isEmpty() ? c : new LayerChoice(c.name(), c.operation(), c.density(), c.batch(),
                    c.sparseMillis(), c.denseMillis(), c.kernel(), c.calibration() + "; " + String.join("; ",
                            notes)));
        }
        return noted;
    }
}
