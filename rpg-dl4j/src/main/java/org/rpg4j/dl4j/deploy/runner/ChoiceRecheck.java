package org.rpg4j.dl4j.deploy.runner;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Keeps measuring a step's kernel choice after its {@link Calibration} has decided, for one batch size: at calls
 * {@value #FIRST_RECHECK}, {@code 2 *} {@value #FIRST_RECHECK}, ... up to {@value #LAST_RECHECK} after the decision
 * the chosen kernel is timed and the other kernel runs twice right after it on the same input, timed, its outputs
 * discarded (the first run of a kernel that runs only at rechecks pays for its cold state: VGG-19 RPG 95 % conv1_1,
 * one thread, load 7, timed oneDNN above 15 ms at rechecks against 12.5-14.7 ms when kept; or, where it has one, only
 * a slice of its work, the
 * time scaled to the full work, as in the calibration: so a large layer's slow Java kernel is not run in full). The
 * kernel with the faster fastest recheck run so far is kept. Both kernels are timed at the same calls only, in pairs:
 * timing the kept kernel at every call gave it hundreds of samples against a handful for the other, so under load
 * (6-7 on 2 cores) the kept kernel's minimum was an undisturbed run and the other's was not, and a wrong choice
 * stayed (shrunk VGG-19 at batch 1: 20-channel layers kept oneDNN at 0.15 ms against 0.08 ms for the sparse kernel).
 *
 * <p>Why: the calibration decides within the first few calls, while the JIT may still be compiling the Java
 * kernels. On a ResNet-56 with 70 % of its channels removed, at batch 1 under load 7, the sparse kernel was timed at
 * 0.5-11 ms per run of 5-20-channel layers during calibration against 0.2-0.5 ms for oneDNN, so 35 of 55 layers
 * chose oneDNN; once compiled the sparse kernel took 8-11 us per run of those layers and oneDNN 60-100 us. A
 * choice made on cold code is corrected at the next recheck after the code is compiled. The extra cost is two runs
 * of the other kernel at exponentially spaced calls (at most {@code 2 / }{@value #FIRST_RECHECK} of a call's worth
 * of that kernel per call, falling as calls go on), and none after call {@value #LAST_RECHECK}.
 *
 * <p>The recheck at call {@value #LAST_RECHECK} settles the choice ({@link #settle}): both kernels, warm by then,
 * run {@value #SETTLE_RUNS} times each, alternating, after an untimed run of the one not kept, and the one with the
 * lower median keeps running, with no timing after it. Call {@value #LAST_RECHECK}, not 64: the runner's whole-call
 * thread race ends its third and last round at about call 120-125 ({@link ThreadRace#MAX_ROUNDS}), and a settling
 * call inside a round runs on whichever threads that call tries (session 13: settled at runner call 71 on the
 * caller alone, three VGG-19 RPG 95 % layers went back to oneDNN, and the calls on the pool went from 48-52 to 62-85
 * ms, under load 2-3). Medians of warm alternating runs decide close races the same
 * way from JVM to JVM, where the fastest single runs depended on which run a disturbance missed (VGG-19 RPG 95 % at
 * batch 32, session 12: JMH iterations of one JVM 60-89 ms while rechecks ran). {@link SparseRunner#calibrate}
 * settles at once.
 *
 * <p>Not thread-safe (a step runs on one thread at a time).
 */
final class ChoiceRecheck {

    /** Calls after the decision at which the first recheck runs. */
    static final int FIRST_RECHECK = 8;
    /** Calls after the decision after which no recheck runs. */
    static final int LAST_RECHECK = 128;
    /** Timed runs of each kernel when a choice settles. */
    static final int SETTLE_RUNS = 5;
    private static final double NANOS_PER_MILLI = 1e6;

    private final List<KernelKind> candidates;
    private final LongSupplier clock;
    private final Map<KernelKind, Long> fastest = new EnumMap<>(KernelKind.class);
    private KernelKind current;
    private long calls;
    private int switches;
    private String lastSwitch = "";
    private boolean settled;
    private String settleNote = "";

    /**
     * @param candidates the two kernels (the calibration's candidates)
     * @param chosen the calibration's choice, one of them
     * @param clock nanosecond clock ({@code System::nanoTime}; tests inject a fake)
     * @throws IllegalArgumentException if there are not exactly two candidates or {@code chosen} is not one
     */
    ChoiceRecheck(List<KernelKind> candidates, KernelKind chosen, LongSupplier clock) {
        this(candidates, chosen, clock, Map.of());
    }

    /**
     * A recheck that starts from the calibration's fastest runs: a recheck switches only when the other kernel's
     * fastest run, calibration included, beats the kept one's, so one disturbed recheck run of the kept kernel
     * does not undo a decision its calibration runs made (VGG-19 RPG at batch 32, one thread, load 10: the first
     * recheck timed a kept sparse kernel at 2-3x its calibration runs and switched layers to oneDNN that lose by
     * 1.5-2x, docs/deployment.md session 11), while a kernel whose calibration runs were cold code still switches
     * once its recheck run beats the other's calibration time.
     *
     * @param candidates the two kernels (the calibration's candidates)
     * @param chosen the calibration's choice, one of them
     * @param clock nanosecond clock
     * @param calibrated the calibration's fastest run per kernel in ns (kernels it did not time left out; values
     *     below 1 ignored)
     * @throws IllegalArgumentException if there are not exactly two candidates, {@code chosen} is not one, or
     *     {@code calibrated} is null
     */
    ChoiceRecheck(List<KernelKind> candidates, KernelKind chosen, LongSupplier clock,
                  Map<KernelKind, Long> calibrated) {
        if (candidates == null || candidates.size() != 2 || !candidates.contains(chosen)) {
            throw new IllegalArgumentException("candidates must be two kernels including chosen " + chosen + ", got "
                    + candidates);
        }
        if (calibrated == null) {
            throw new IllegalArgumentException("calibrated must not be null (an empty map for no calibration times)");
        }
        this.candidates = List.copyOf(candidates);
        this.current = chosen;
        this.clock = clock;
        calibrated.forEach((kind, nanos) -> {
            if (candidates.contains(kind) && nanos != null && nanos > 0) {
                fastest.put(kind, nanos);
            }
        });
    }

    /**
     * Runs one call: the kernel kept so far, and at a recheck call both, timed.
     *
     * @param kernels the kernels on this call's input
     * @return the output of the kernel kept before this call
     */
    Tensor call(Calibration.Kernels kernels) {
        if (settled) {
            return kernels.run(current);
        }
        calls++;
        KernelKind kept = current;
        if (calls == LAST_RECHECK) {
            return settle(kernels);
        }
        if (!recheckDue(calls)) {
            return kernels.run(kept);
        }
        TimingWork.note();
        long start = clock.getAsLong();
        Tensor output = kernels.run(kept);
        record(kept, clock.getAsLong() - start);
        KernelKind other = candidates.get(0) == kept ? candidates.get(1) : candidates.get(0);
        Calibration.Probe probe = kernels.probe(other);
        long otherStart = clock.getAsLong();
        if (probe != null) {
            probe.run().run();
            record(other, Math.round((clock.getAsLong() - otherStart) / probe.fraction()));
        } else {
            Tensor discarded = kernels.run(other);
            record(other, clock.getAsLong() - otherStart);
            kernels.discard(discarded);
            // a second run: the first of a kernel that runs only here pays for its cold state
            long again = clock.getAsLong();
            discarded = kernels.run(other);
            record(other, clock.getAsLong() - again);
            kernels.discard(discarded);
        }
        if (fastest.get(other) < fastest.get(kept)) {
            current = other;
            switches++;
            lastSwitch = String.format(Locale.ROOT, "; recheck at call %d switched to %s (%.3f against %.3f ms)",
                    calls, other, fastest.get(other) / NANOS_PER_MILLI, fastest.get(kept) / NANOS_PER_MILLI);
        }
        return output;
    }

    /**
     * Settles the choice on this call's input: the kernel not kept runs once untimed (its first run in a while pays
     * for its cold state), then both run {@value #SETTLE_RUNS} times, alternating which goes first, the one not kept
     * as a slice of its work where it has one (time scaled to the full work); the lower median wins (the kept kernel
     * on a tie) and no later call times anything.
     *
     * @param kernels the kernels on this call's input
     * @return the output of the kernel kept before this call
     */
    Tensor settle(Calibration.Kernels kernels) {
        if (settled) {
            return kernels.run(current);
        }
        TimingWork.note();
        KernelKind kept = current;
        KernelKind other = candidates.get(0) == kept ? candidates.get(1) : candidates.get(0);
        Calibration.Probe probe = kernels.probe(other);
        Runnable otherRun = probe != null ? probe.run() : () -> kernels.discard(kernels.run(other));
        double scale = probe != null ? 1 / probe.fraction() : 1;
        otherRun.run();
        long[] keptNanos = new long[SETTLE_RUNS];
        long[] otherNanos = new long[SETTLE_RUNS];
        Tensor output = null;
        for (int r = 0; r < SETTLE_RUNS; r++) {
            if (r % 2 == 1) {
                otherNanos[r] = Math.round(timed(otherRun) * scale);
            }
            long start = clock.getAsLong();
            Tensor out = kernels.run(kept);
            keptNanos[r] = clock.getAsLong() - start;
            if (output == null) {
                output = out;
            } else {
                kernels.discard(out);
            }
            if (r % 2 == 0) {
                otherNanos[r] = Math.round(timed(otherRun) * scale);
            }
        }
        long keptMedian = median(keptNanos);
        long otherMedian = median(otherNanos);
        if (otherMedian < keptMedian) {
            current = other;
            switches++;
        }
        fastest.put(kept, keptMedian);
        fastest.put(other, otherMedian);
        settled = true;
        settleNote = String.format(Locale.ROOT, "; settled at call %d on medians of %d warm runs: %s %.3f, %s %.3f ms"
                + "%s -> %s", calls, SETTLE_RUNS, kept, keptMedian / NANOS_PER_MILLI, other, otherMedian
                        / NANOS_PER_MILLI, probe != null ? " (" + other + " on " + probe.description() + ")" : "",
                current);
        return output;
    }

    /**
     * Lets {@link #settle} run once more (on the threads of the call that runs it: {@link PlanRace} settles the plan
     * of the other whole-call choice of threads); nothing is timed until it runs.
     */
    void reopen() {
        settled = false;
    }

    /** @return true once the choice is final and no call is timed any more */
    boolean settled() {
        return settled;
    }

    private long timed(Runnable run) {
        long start = clock.getAsLong();
        run.run();
        return clock.getAsLong() - start;
    }

    private static long median(long[] nanos) {
        long[] sorted = nanos.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** @return the kernel kept now */
    KernelKind kind() {
        return current;
    }

    /**
     * @param kind a candidate
     * @return its fastest recheck run since the decision (or calibration run given at construction) in ms, NaN
     *     before the first
     */
    double millis(KernelKind kind) {
        Long nanos = fastest.get(kind);
        return nanos == null ? Double.NaN : nanos / NANOS_PER_MILLI;
    }

    /** @return calls since the decision */
    long calls() {
        return calls;
    }

    /** @return what the rechecks did, for the report (empty before the first switch) */
    String note() {
        return (switches == 0 ? "" : lastSwitch + (switches > 1 ? " (" + switches + " switches)" : "")) + settleNote;
    }

    /**
     * @param call calls since the decision
     * @return true at calls 8, 16, 32, ... up to {@link #LAST_RECHECK} (the last settles)
     */
    static boolean recheckDue(long call) {
        return call >= FIRST_RECHECK && call <= LAST_RECHECK && Long.bitCount(call) == 1;
    }

    private void record(KernelKind kind, long nanos) {
        fastest.merge(kind, nanos, Math::min);
    }
}
