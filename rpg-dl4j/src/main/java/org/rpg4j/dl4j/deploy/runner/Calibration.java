package org.rpg4j.dl4j.deploy.runner;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The measured kernel choice of one step at one batch size ({@link KernelPolicy#MEASURED}), spread over the first
 * calls with that batch size so that none of them costs much more than a steady call (the session-7 scheme timed
 * both kernels three times at each of three calls: 15-18 s per call on VGG-19 at batch 64 against 0.25 s after).
 *
 * <ol>
 * <li>Each calibrating call runs each candidate still in the race at most once on the full input, in the given
 * order (the native dense kernel first: it gives the reference time), and returns the output of the fastest of
 * those runs; the others are discarded. So a call costs the sum of the candidates' times, not three times it plus
 * one more run.</li>
 * <li>A candidate that can run a slice of its work ({@link Kernels#probe}) runs that slice first when another
 * candidate already has a time in this call; if the slice's time scaled to the full work exceeds
 * {@link #CLEAR_MARGIN} times that time, the candidate does not run on the full input in this call.</li>
 * <li>A native candidate (the dense kernel) whose best time over two counting calls exceeds {@link #CLEAR_MARGIN}
 * times the leader's fastest full run is dropped for good. First-call times do not count (the native convolution's
 * first run with a shape took up to 8x its later runs in the tests), and one run does not decide (under load 5 on 2
 * cores single runs of 0.1 ms layers took 10-60 ms). A Java kernel is never dropped early, only kept from full runs
 * by its slice: its times at the second and third calls can still be those of code the JIT is compiling or of a
 * core the compiler occupies (RPG-pruned ResNet-56 at batch 1: 3-4 ms per run of 0.1 ms layers, so it was dropped
 * on 21-26 of 58 layers against 7-9 with the former scheme).</li>
 * <li>The first call is a warm-up: its times decide that call only, and a Java kernel's run there is repeated up
 * to twice within 20 ms so that the JIT has compiled it by the counting calls. The fastest full run of each candidate over
 * the next {@code countingCalls} calls decides; calibration ends after them, or as soon as one candidate is
 * left; when the two fastest are within {@link #CLOSE_MARGIN} of each other it goes on for up to
 * {@code countingCalls} more calls, so that a close choice rests on twice the runs.</li>
 * </ol>
 *
 * <p>With a margin of 2, a calibrating call costs at most about 3 steady calls per step (the winner, a loser at
 * most twice as slow and its slice) once a clearly slower native kernel is dropped (after the third call); before,
 * it may also run that kernel in full. The first call also pays the JIT. The choice between candidates within the margin is made by the fastest of
 * {@code countingCalls} full runs each, as before.
 */
final class Calibration {

    /** A candidate slower than this multiple of the leader's fastest run is out of the race. */
    static final double CLEAR_MARGIN = 2.0;
    /** Extra runs of a Java kernel at the first call, after its timed one (JIT warm-up), at most. */
    static final int JIT_WARM_UP_RUNS = 2;
    /** Time after which no further warm-up run starts (a kernel still interpreted can take 100x its compiled time). */
    static final long JIT_WARM_UP_NANOS = 20_000_000L;
    /**
     * Two candidates whose fastest counting runs are within this ratio are a close race: calibration times them over
     * up to {@code countingCalls} more calls before it decides (the cost of a wrong choice is small there, but one
     * disturbed call of three decides it: the session-8 profiles chose differently from run to run on ResNet-56's
     * stage-0 layers, where oneDNN and the sparse kernel are within 1.5x of each other).
     */
    static final double CLOSE_MARGIN = 1.25;
    /** Counting calls of evidence a native candidate needs before it is dropped. */
    static final int MIN_OBSERVATIONS = 2;
    private static final double NANOS_PER_MILLI = 1e6;

    /** The kernels of one call, on that call's inputs. */
    interface Kernels {

        /**
         * @param kind a candidate
         * @return its output for the full input
         */
        Tensor run(KernelKind kind);

        /**
         * @param kind a candidate
         * @return a run of a slice of that kernel's work on this call's input, or null if it has none (then only
         *     its full run is timed)
         */
        Probe probe(KernelKind kind);

        /** @param output an output no step reads */
        void discard(Tensor output);
    }

    /**
     * A slice of a kernel's work, ready to run (set-up such as compiling the slice's kernel done before).
     *
     * @param run the slice's computation, whose output is thrown away
     * @param fraction the slice's share of the full call's work, in (0, 1)
     * @param description what the slice is, for the report (e.g. {@code "8 of 64 output channels"})
     */
    record Probe(Runnable run, double fraction, String description) {
    }

    private final List<KernelKind> live;
    private final int countingCalls;
    private final LongSupplier clock;
    private final Map<KernelKind, Long> fastest = new EnumMap<>(KernelKind.class);
    private final Map<KernelKind, Long> warmUp = new EnumMap<>(KernelKind.class);
    /** Fastest full-run time predicted by a slice over the counting calls. */
    private final Map<KernelKind, Long> predictedFastest = new EnumMap<>(KernelKind.class);
    private final Map<KernelKind, Integer> observations = new EnumMap<>(KernelKind.class);
    /** Per candidate, the last call at which its slice kept it from the full run. */
    private final Map<KernelKind, String> skipped = new EnumMap<>(KernelKind.class);
    private final List<String> notes = new ArrayList<>();
    /** Candidates dropped by {@link #dropClearLosers}. */
    private final Set<KernelKind> dropped = EnumSet.noneOf(KernelKind.class);
    private int calls;
    private KernelKind current;
    private boolean done;

    /**
     * @param candidates the kernels to choose from, in the order they run in a call (at least one)
     * @param countingCalls calls after the warm-up call whose times decide, &ge; 1
     * @param clock nanosecond clock ({@code System::nanoTime}; tests inject a fake)
     */
    Calibration(List<KernelKind> candidates, int countingCalls, LongSupplier clock) {
        this.live = new ArrayList<>(candidates);
        this.countingCalls = countingCalls;
        this.clock = clock;
        this.current = candidates.get(0);
        this.done = candidates.size() == 1;
    }

    /**
     * Runs one calibrating call.
     *
     * @param kernels the kernels on this call's input
     * @return the output of the fastest candidate that ran on the full input
     * @throws IllegalStateException if calibration is done
     */
    Tensor call(Kernels kernels) {
        if (done) {
            throw new IllegalStateException("calibration is done after " + calls + " calls: run " + current);
        }
        calls++;
        TimingWork.note();
        Map<KernelKind, Long> times = new EnumMap<>(KernelKind.class);
        Tensor best = null;
        KernelKind bestKind = null;
        for (KernelKind kind : List.copyOf(live)) {
            if (bestKind != null && slicePredictsLoss(kernels, kind, bestKind, times.get(bestKind))) {
                continue;
            }
            long start = clock.getAsLong();
            Tensor output = kernels.run(kind);
            long nanos = clock.getAsLong() - start;
            warmUpJit(kind, nanos, () -> kernels.discard(kernels.run(kind)));
            times.put(kind, nanos);
            record(calls == 1 ? warmUp : fastest, kind, nanos);
            if (bestKind == null || nanos < times.get(bestKind)) {
                if (best != null) {
                    kernels.discard(best);
                }
                best = output;
                bestKind = kind;
            } else {
                kernels.discard(output);
            }
        }
        dropClearLosers();
        current = bestKind;
        if (live.size() == 1 || calls > countingCalls && !extendCloseRace()) {
            finish();
        }
        return best;
    }

    /** @return true once the choice is final ({@link #kind()}) */
    boolean done() {
        return done;
    }

    /** @return the kernel chosen so far (final once {@link #done()}) */
    KernelKind kind() {
        return current;
    }

    /**
     * @param kind a candidate
     * @return true if it was dropped from the race because its counting runs lost by more than {@link #CLEAR_MARGIN}
     *     (only native kernels are dropped)
     */
    boolean dropped(KernelKind kind) {
        return dropped.contains(kind);
    }

    /** @return calibrating calls made */
    int calls() {
        return calls;
    }

    /**
     * @param kind a candidate
     * @return its fastest full run over the counting calls in ms, else its warm-up run, else NaN (never run on the
     *     full input)
     */
    double millis(KernelKind kind) {
        Long nanos = fastest.containsKey(kind) ? fastest.get(kind) : warmUp.get(kind);
        return nanos == null ? Double.NaN : nanos / NANOS_PER_MILLI;
    }

    /** @return what was timed, skipped or dropped and why, for the report */
    String note() {
        String state = done ? "decided after " + calls + (calls == 1 ? " call" : " calls")
                : "calibrating, " + calls + (calls == 1 ? " call" : " calls") + " so far";
        List<String> all = new ArrayList<>(skipped.values());
        all.addAll(notes);
        return all.isEmpty() ? state : state + "; " + String.join("; ", all);
    }

    /** Runs {@code kind}'s slice if it has one; true if the slice says it loses this call by the clear margin. */
    private boolean slicePredictsLoss(Kernels kernels, KernelKind kind, KernelKind bestKind, long bestNanos) {
        Probe probe = kernels.probe(kind);
        if (probe == null) {
            return false;
        }
        long start = clock.getAsLong();
        probe.run().run();
        long sliceNanos = clock.getAsLong() - start;
        warmUpJit(kind, sliceNanos, probe.run());
        long predicted = Math.round(sliceNanos / probe.fraction());
        if (calls > 1) {
            record(predictedFastest, kind, predicted);
        }
        if (predicted <= CLEAR_MARGIN * bestNanos) {
            return false;
        }
        skipped.put(kind, String.format(Locale.ROOT, "%s not run at call %d: %s predict %.3f ms > %.1f x %s %.3f ms",
                kind, calls, probe.description(), predicted / NANOS_PER_MILLI, CLEAR_MARGIN, bestKind, bestNanos
                        / NANOS_PER_MILLI));
        return true;
    }

    /**
     * At the first call, repeats a Java kernel's timed run (full or slice) up to {@link #JIT_WARM_UP_RUNS} times while
     * the time spent on it stays under {@link #JIT_WARM_UP_NANOS}: with one timed run per call, the JIT had not
     * compiled the kernel's code for ResNet-56's 32-channel layers by the second and third calls (10-19 ms per run of
     * a 0.06 ms layer, so it lost to oneDNN on 20 of 58 layers at batch 1, under load 5); the former three runs per
     * call had warmed it.
     *
     * @param kind the kernel
     * @param timedNanos the time of the run just timed
     * @param again the same run once more, its output discarded
     */
    private void warmUpJit(KernelKind kind, long timedNanos, Runnable again) {
        if (calls != 1 || kind == KernelKind.DENSE || kind == KernelKind.DL4J) {
            return;
        }
        long start = clock.getAsLong() - timedNanos;
        for (int run = 0; run < JIT_WARM_UP_RUNS && clock.getAsLong() - start < JIT_WARM_UP_NANOS; run++) {
            again.run();
        }
    }

    /** Adds a counting or warm-up time; every counting full run or prediction is one observation. */
    private void record(Map<KernelKind, Long> times, KernelKind kind, long nanos) {
        times.merge(kind, nanos, Math::min);
        if (times != warmUp) {
            observations.merge(kind, 1, Integer::sum);
        }
    }

    /**
     * Drops every native candidate whose best counting time over at least {@link #MIN_OBSERVATIONS} calls exceeds
     * {@link #CLEAR_MARGIN} times the leader's fastest full run: one run hit by the scheduler (10-60 ms for a 0.1 ms
     * layer under load 5 on 2 cores) does not drop a kernel, and Java kernels are not dropped (class comment).
     */
    private void dropClearLosers() {
        KernelKind leader = null;
        for (KernelKind kind : live) {
            if (fastest.containsKey(kind) && (leader == null || fastest.get(kind) < fastest.get(leader))) {
                leader = kind;
            }
        }
        if (leader == null) {
            return;
        }
        for (KernelKind kind : List.copyOf(live)) {
            long evidence = Math.min(fastest.getOrDefault(kind, Long.MAX_VALUE), predictedFastest.getOrDefault(kind,
                    Long.MAX_VALUE));
            if (kind != leader && (kind == KernelKind.DENSE || kind == KernelKind.DL4J)
                    && observations.getOrDefault(kind, 0) >= MIN_OBSERVATIONS
                    && evidence > CLEAR_MARGIN * fastest.get(leader)) {
                live.remove(kind);
                dropped.add(kind);
                notes.add(String.format(Locale.ROOT, "%s dropped after call %d: best of %d calls %.3f ms > %.1f x %s"
                        + " %.3f ms", kind, calls, observations.get(kind), evidence / NANOS_PER_MILLI, CLEAR_MARGIN,
                        leader, fastest.get(leader) / NANOS_PER_MILLI));
            }
        }
    }

    /**
     * @return true if calibration goes on after the counting calls because the two fastest candidates are within
     *     {@link #CLOSE_MARGIN} of each other, at most {@code countingCalls} calls more (noted once for the report)
     */
    private boolean extendCloseRace() {
        if (calls > 2 * countingCalls) {
            return false;
        }
        long first = Long.MAX_VALUE;
        long second = Long.MAX_VALUE;
        for (KernelKind kind : live) {
            long nanos = fastest.getOrDefault(kind, Long.MAX_VALUE);
            if (nanos < first) {
                second = first;
                first = nanos;
            } else if (nanos < second) {
                second = nanos;
            }
        }
        boolean close = second != Long.MAX_VALUE && second < CLOSE_MARGIN * first;
        if (close && calls == countingCalls + 1) {
            notes.add(String.format(Locale.ROOT, "close race after call %d (%.3f against %.3f ms, within %.2fx): up to"
                    + " %d more calls", calls, first / NANOS_PER_MILLI, second / NANOS_PER_MILLI, CLOSE_MARGIN,
                    countingCalls));
        }
        return close;
    }

    /** The fastest candidate over the counting calls; the only one left if the others were dropped. */
    private void finish() {
        done = true;
        KernelKind chosen = live.get(0);
        for (KernelKind kind : live) {
            if (fastest.getOrDefault(kind, Long.MAX_VALUE) < fastest.getOrDefault(chosen, Long.MAX_VALUE)) {
                chosen = kind;
            }
        }
        current = chosen;
    }
}
