package org.rpg4j.dl4j.deploy.runner;

import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Per batch size, a race between the per-image sparse kernel ({@link KernelKind#SPARSE}) and one alternative sparse
 * kernel: each timed run records both kernels' times, the first run of a batch size only warms up, and after a fixed
 * number of runs the kernel with the faster fastest run wins. Used by {@link BatchedCandidate} and {@link
 * SmallPlaneCandidate}.
 *
 * <p>The decision is rechecked in the style of {@link ChoiceRecheck}: at calls {@value ChoiceRecheck#FIRST_RECHECK},
 * {@code 2 *} {@value ChoiceRecheck#FIRST_RECHECK}, ... up to {@value ChoiceRecheck#LAST_RECHECK} after it
 * ({@link #next} returns null then), both kernels run again, timed in pairs as during the race, and their fastest
 * runs, the race's included, are compared at the next call: the other kernel is taken only when its fastest run is
 * more than {@link #SWITCH_MARGIN} below the kept one's. Why: the race ends within the first few calls, while the JIT
 * may still be compiling one of the kernels; on a ResNet-56 with 70 % of its channels removed at batch 64 (one
 * thread, load 9) six stage-2 layers kept the batched kernel at 0.37-0.47 ms against 0.19-0.25 ms for the per-image
 * kernel (docs/structured.md, session 11). Keeping the race's minima means one disturbed recheck run of the kept
 * kernel does not undo the decision. The call after the last recheck settles the race: no call is timed after it
 * (call {@value ChoiceRecheck#LAST_RECHECK} + 1 after the decision, or two forced rechecks after {@link #settle}); {@link
 * #preset} takes a kernel without timing. Not thread-safe (a step runs on one thread at a time).
 */
final class KernelRace {

    /**
     * Fraction by which the other kernel's fastest run must be below the kept one's for a recheck to switch: closer
     * kernels stay as they are (no switching back and forth on noise).
     */
    static final double SWITCH_MARGIN = 0.1;

    private final String name;
    private final KernelKind alternative;
    private final String alternativeLabel;
    private final int runs;
    private final Logger log;
    /** Per batch size: the race and its rechecks. */
    private final Map<Integer, Race> races = new HashMap<>();
    /**
     * The batch size of {@link #lastRace}, or 0: the race asked for last, read without the map's boxed key (the
     * runner asks for it twice per step and call, for the step and for its producer's {@code inputLayout}).
     */
    private int lastBatch;
    /** The race at {@link #lastBatch}, or null. */
    private Race lastRace;

    /** One batch size's race. */
    private static final class Race {
        /** Timed runs of the initial race so far. */
        private int timed;
        /** Fastest per-image and alternative run so far (ns), the race's and rechecks' runs. */
        private long perImage = Long.MAX_VALUE;
        private long alternative = Long.MAX_VALUE;
        /** The kernel kept, null before the race ends. */
        private KernelKind kept;
        /** Calls since the race ended. */
        private long calls;
        /** True from a recheck call until the next call compares the times. */
        private boolean rechecked;
        private int switches;
        /** Forced recheck calls still to run ({@link #settle}). */
        private int forced;
        /** True once {@link #settle} was asked for: the race settles after its forced rechecks. */
        private boolean settling;
        /** True once no call is timed any more. */
        private boolean settled;
    }

    /** Recheck calls that {@link #settle} forces before the race settles. */
    static final int SETTLE_RECHECKS = 2;

    /**
     * @param name the layer name, for the log
     * @param alternative the kind the alternative kernel is reported as (not {@link KernelKind#SPARSE})
     * @param alternativeLabel how the log line names the alternative kernel
     * @param runs timed runs per batch size, the warm-up run included (at least 2)
     * @param log where the decision is logged (debug)
     * @throws IllegalArgumentException if {@code alternative} is null or {@link KernelKind#SPARSE}, or {@code runs}
     *     is below 2
     */
    KernelRace(String name, KernelKind alternative, String alternativeLabel, int runs, Logger log) {
        if (alternative == null || alternative == KernelKind.SPARSE) {
            throw new IllegalArgumentException("alternative must be a kernel other than SPARSE, got " + alternative);
        }
        if (runs < 2) {
            throw new IllegalArgumentException("runs must be at least 2 (a warm-up and a timed run), got " + runs);
        }
        this.name = name;
        this.alternative = alternative;
        this.alternativeLabel = alternativeLabel;
        this.runs = runs;
        this.log = log;
    }

    /**
     * @param batch the batch size
     * @return the kernel chosen for it, or null while both are still being timed in the race (unchanged during a
     *     recheck call)
     */
    KernelKind choice(int batch) {
        Race race = batch == lastBatch ? lastRace : races.get(batch);
        return race == null ? null : race.kept;
    }

    /**
     * Starts one call with this batch size: call once per call that runs a sparse kernel on it.
     *
     * @param batch the batch size
     * @return the kernel to run, or null when both are to be run and timed ({@link #record}): during the race and
     *     at a recheck call
     * @throws IllegalArgumentException if {@code batch} is below 1
     */
    KernelKind next(int batch) {
        Race race = race(batch);
        if (race.kept == null) {
            TimingWork.note();
            return null;
        }
        if (race.settled) {
            return race.kept;
        }
        if (race.rechecked) {
            race.rechecked = false;
            KernelKind before = race.kept;
            compare(batch, race);
            if (race.kept != before) {
                // a recheck switched the kernel, which changes the layout the step reads
                DecisionVersion.bump();
            }
        }
        race.calls++;
        if (race.forced > 0) {
            race.forced--;
            race.rechecked = true;
            TimingWork.note();
            return null;
        }
        if (race.settling || race.calls > ChoiceRecheck.LAST_RECHECK) {
            race.settled = true;
            return race.kept;
        }
        if (ChoiceRecheck.recheckDue(race.calls)) {
            race.rechecked = true;
            TimingWork.note();
            return null;
        }
        return race.kept;
    }

    /**
     * Records one timed run of both kernels; the first of a batch size only warms up.
     *
     * @param batch the batch size
     * @param perImageNanos the per-image sparse kernel's time
     * @param alternativeNanos the alternative kernel's time
     * @throws IllegalArgumentException if {@code batch} is below 1 or a time is negative
     */
    void record(int batch, long perImageNanos, long alternativeNanos) {
        if (perImageNanos < 0 || alternativeNanos < 0) {
            throw new IllegalArgumentException("times must be at least 0 ns, got perImageNanos " + perImageNanos
                    + " and alternativeNanos " + alternativeNanos);
        }
        DecisionVersion.bump();
        Race race = race(batch);
        if (race.kept == null && race.timed++ == 0) {
            return;
        }
        race.perImage = Math.min(race.perImage, perImageNanos);
        race.alternative = Math.min(race.alternative, alternativeNanos);
        if (race.kept == null && race.timed == runs) {
            race.kept = race.alternative < race.perImage ? alternative : KernelKind.SPARSE;
            log.debug("{} batch {}: per-image sparse {} us, {} {} us -> {}", name, batch, race.perImage / 1000,
                    alternativeLabel, race.alternative / 1000, race.kept);
        }
    }

    /**
     * Settles a batch size's race: its next {@value #SETTLE_RECHECKS} calls once it has decided are rechecks (both
     * kernels timed, on code warm by then), and the call after them compares and ends all timing for it.
     *
     * @param batch the batch size
     * @throws IllegalArgumentException if {@code batch} is below 1
     */
    void settle(int batch) {
        Race race = race(batch);
        if (!race.settled && !race.settling) {
            race.settling = true;
            race.forced = SETTLE_RECHECKS;
        }
    }

    /**
     * Reopens a settled race at this batch size so that it settles again on the threads its next calls run on
     * ({@link PlanRace}: the plan of the other whole-call choice of threads): its fastest runs so far are forgotten,
     * its next {@value #SETTLE_RECHECKS} calls that run a sparse kernel are rechecks, and the call after them settles
     * it on those rechecks' runs alone. A race not settled, or never run, is left as it is.
     *
     * @param batch the batch size
     * @throws IllegalArgumentException if {@code batch} is below 1
     */
    void reopen(int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
        Race race = races.get(batch);
        if (race == null || !race.settled || race.kept == null) {
            return;
        }
        race.settled = false;
        race.settling = true;
        race.forced = SETTLE_RECHECKS;
        race.rechecked = false;
        race.perImage = Long.MAX_VALUE;
        race.alternative = Long.MAX_VALUE;
    }

    /**
     * @param batch the batch size
     * @return true if the race at that batch size times nothing any more or never ran (a race {@link #settle} asked
     *     for where the step never runs that kernel, e.g. the batched kernel below its batch size)
     */
    boolean quiet(int batch) {
        Race race = races.get(batch);
        return race == null || race.settled || race.kept == null && race.timed == 0;
    }

    /**
     * Takes a kernel for a batch size without timing, for good (a deployer's saved plan).
     *
     * @param batch the batch size
     * @param kind {@link KernelKind#SPARSE} or this race's alternative
     * @throws IllegalArgumentException if {@code batch} is below 1 or {@code kind} is neither
     */
    void preset(int batch, KernelKind kind) {
        if (kind != KernelKind.SPARSE && kind != alternative) {
            throw new IllegalArgumentException("kind must be SPARSE or " + alternative + " for layer " + name
                    + ", got " + kind);
        }
        Race race = race(batch);
        race.kept = kind;
        race.settled = true;
        race.rechecked = false;
        race.forced = 0;
        DecisionVersion.bump();
    }

    /**
     * @param batch the batch size
     * @return true once the race at that batch size times nothing any more
     */
    boolean settled(int batch) {
        Race race = races.get(batch);
        return race != null && race.settled;
    }

    /**
     * @param batch the batch size
     * @return how often rechecks changed its kernel
     */
    int switches(int batch) {
        Race race = races.get(batch);
        return race == null ? 0 : race.switches;
    }

    private Race race(int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
        if (batch != lastBatch || lastRace == null) {
            lastRace = races.computeIfAbsent(batch, b -> new Race());
            lastBatch = batch;
        }
        return lastRace;
    }

    /** After a recheck: takes the other kernel if its fastest run is clearly below the kept one's. */
    private void compare(int batch, Race race) {
        boolean keptPerImage = race.kept == KernelKind.SPARSE;
        long kept = keptPerImage ? race.perImage : race.alternative;
        long other = keptPerImage ? race.alternative : race.perImage;
        if (other < (1 - SWITCH_MARGIN) * kept) {
            KernelKind was = race.kept;
            race.kept = keptPerImage ? alternative : KernelKind.SPARSE;
            race.switches++;
            log.debug("{} batch {}: recheck at call {}: per-image sparse {} us, {} {} us -> {} (was {})", name, batch,
                    race.calls, race.perImage / 1000, alternativeLabel, race.alternative / 1000, race.kept, was);
        }
    }
}
