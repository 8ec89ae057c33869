package org.rpg4j.dl4j.deploy.runner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A step with a sparse and a dense kernel for the same result. Under {@link KernelPolicy#MEASURED} the first calls
 * with a new batch size time both kernels on that very input and keep the faster for that batch size (the measured
 * cost model, {@link Calibration}: each calibrating call runs each kernel still in the race once and returns the
 * faster one's output; a kernel whose slice of the work ({@link #sparseProbe}) or full run loses by a clear margin
 * stops being timed; the first call is a JIT warm-up and the fastest runs of the next {@code calibrationRuns} calls
 * decide, or of up to twice as many where the two kernels are within {@link Calibration#CLOSE_MARGIN}); the other
 * policies force one kernel. The decision and the timings are reported as a {@link LayerChoice}. After the decision a
 * {@link ChoiceRecheck} keeps timing the chosen kernel and reruns the other at exponentially spaced calls, and
 * switches if that one has become faster (reported as a new {@link LayerChoice}); not where the calibration dropped
 * the dense kernel for losing by {@link Calibration#CLEAR_MARGIN}, which runs the sparse kernel without periodic
 * rechecks but still settles on warm medians of both kernels when a settle is asked for ({@link #requestSettle},
 * {@link #requestResettle}): oneDNN's first runs can be those of OpenMP threads short of a core.
 *
 * <p>Deciding over several calls matters: at the first call the JIT may still be compiling the sparse kernel
 * (measured on ResNet-56 at batch 32: the first 14 layers timed up to 1.7x slower than the 15th, which had a higher
 * density, and so chose the dense kernel where the sparse one was faster), and one call's runs of a
 * sub-millisecond layer can all be hit by a garbage collection or another process (an idle profile of the
 * RPG-pruned ResNet-56 at 98 % chose oneDNN for 35 layers with 0.0-1.3 % non-zeros).
 */
abstract class CalibratedStep implements Step {

    private static final Logger LOG = LoggerFactory.getLogger(CalibratedStep.class);
    /**
     * At or below this weight density the sparse kernel is chosen without timing: it does at most 1/50
     * of the dense multiply-adds plus one pass over the output, and wall-time calibration of such
     * sub-millisecond layers is what a loaded machine disturbs most (see the class comment).
     */
    static final double ALWAYS_SPARSE_DENSITY = 0.02;

    private final String name;
    private final String operation;
    private final double density;
    private final RunnerOptions options;
    private final boolean sparseSupported;
    private final Map<Integer, KernelKind> decisions = new HashMap<>();
    /**
     * The batch size of {@link #lastDecision}, or 0: the decision for the batch size asked for last, read without the
     * map's boxed key ({@link #maySparse} runs for every reader's {@code inputLayout} at every call: the map's lookup
     * was 2.6 % of a 70 %-shrunk ResNet-56 call at batch 1, JFR).
     */
    private int lastDecisionBatch;
    /** The decision at {@link #lastDecisionBatch}, or null where there is none yet. */
    private KernelKind lastDecision;
    /** Per batch size under {@link KernelPolicy#MEASURED}: the calibration, kept for the report once done. */
    private final Map<Integer, Calibration> calibrations = new HashMap<>();
    /** Batch sizes whose calibrated choice is kept without rechecks ({@link #unrechecked}). */
    private final Set<Integer> unrechecked = new HashSet<>();
    /** Per batch size, the choice's later measurement once the calibration is done. */
    private final Map<Integer, ChoiceRecheck> rechecks = new HashMap<>();
    /** The batch size of {@link #lastRecheck}, or 0. */
    private int lastRecheckBatch;
    /**
     * The recheck of the batch size a call had last once its calibration was done, read without the maps' boxed keys
     * (with {@link #lastCalibration}, its calibration).
     */
    private ChoiceRecheck lastRecheck;
    /** The calibration of {@link #lastRecheck}. */
    private Calibration lastCalibration;
    private final List<LayerChoice> choices = new ArrayList<>();
    /** The clock the races are timed on ({@link CalibrationClock}). */
    private final LongSupplier clock;
    /** The batch size whose choice settles at its next call ({@link #requestSettle}), or 0. */
    private int settleBatch;

    /**
     * @param name layer name
     * @param operation what the step computes
     * @param density fraction of non-zero weights
     * @param options the policy and the calibration runs
     * @param sparseSupported false if only the dense kernel can compute this layer (e.g. dilation)
     */
    CalibratedStep(String name, String operation, double density, RunnerOptions options, boolean sparseSupported) {
        this(name, operation, density, options, sparseSupported, CalibrationClock.of(options));
    }

    /**
     * As {@link #CalibratedStep(String, String, double, RunnerOptions, boolean)}, timed on a given clock (tests).
     *
     * @param name layer name
     * @param operation what the step computes
     * @param density fraction of non-zero weights
     * @param options the policy and the calibration runs
     * @param sparseSupported false if only the dense kernel can compute this layer
     * @param clock nanosecond clock the kernel races are timed on
     */
    CalibratedStep(String name, String operation, double density, RunnerOptions options, boolean sparseSupported,
                   LongSupplier clock) {
        this.name = name;
        this.operation = operation;
        this.density = density;
        this.options = options;
        this.sparseSupported = sparseSupported;
        this.clock = clock;
    }

    /** @return the clock this step's kernel races are timed on ({@link CalibrationClock}), in ns */
    final long now() {
        return clock.getAsLong();
    }

    /**
     * @param input the step's input
     * @throws IllegalArgumentException if its shape does not fit the layer (checked before either kernel runs)
     */
    abstract void checkInput(Tensor input);

    /**
     * @param inputs the step's inputs; the first is the layer's
     * @return the output of the sparse kernel
     */
    abstract Tensor runSparse(Tensor[] inputs);

    /**
     * @param inputs the step's inputs; the first is the layer's
     * @return the output of the dense kernel
     */
    abstract Tensor runDense(Tensor[] inputs);

    /**
     * Hands a calibration run's output, which no step reads, back to the runner's pool (if the kernel
     * took its array from one).
     *
     * @param output the discarded output
     */
    void discard(Tensor output) {
    }

    /**
     * @param inputs the step's inputs
     * @return a run of the sparse kernel on a slice of this call's work (its output thrown away), prepared
     *     outside the returned run; or null when the full run is cheap enough to time or no slice exists
     */
    Calibration.Probe sparseProbe(Tensor[] inputs) {
        return null;
    }

    /**
     * @param batch a batch size
     * @return the kernel to report when the sparse kernel runs at that batch size: {@link KernelKind#SPARSE}, or a
     *     more specific sparse kernel the step chose itself
     */
    KernelKind sparseKind(int batch) {
        return KernelKind.SPARSE;
    }

    /**
     * @param batch a batch size
     * @return why the sparse kernel runs untimed at that batch size besides a density of at most
     *     {@link #ALWAYS_SPARSE_DENSITY} (for the report), or null to time it; null by default
     */
    String untimedSparse(int batch) {
        return null;
    }

    /**
     * @param batch a batch size whose calibration is done
     * @param chosen the calibration's choice
     * @param sparseMillis the calibration's fastest full sparse run in ms, NaN if it never ran in full
     * @param denseMillis the calibration's fastest dense run in ms, NaN if it never ran
     * @return why the choice is kept without {@link ChoiceRecheck} (for the report), or null to recheck it; null
     *     by default
     */
    String unrechecked(int batch, KernelKind chosen, double sparseMillis, double denseMillis) {
        return null;
    }

    /**
     * Asks the step's sparse kernel races ({@link KernelRace}: batched or small-plane against per-image) to settle
     * at this batch size ({@link KernelRace#settle}); none by default.
     *
     * @param batch the batch size
     */
    void settleSparseRaces(int batch) {
    }

    /**
     * Reopens the step's settled sparse kernel races at this batch size ({@link KernelRace#reopen}), so that they
     * settle again on the threads of the next calls; none by default.
     *
     * @param batch the batch size
     */
    void reopenSparseRaces(int batch) {
    }

    /**
     * @param batch the batch size
     * @return true if the step's sparse kernel races time nothing any more at that batch size (or never ran); true
     *     by default
     */
    boolean sparseRacesQuiet(int batch) {
        return true;
    }

    /**
     * @param batch a batch size
     * @param kind a sparse kernel kind
     * @return why the step cannot run that sparse kernel at that batch size, or null if it can; by default only
     *     {@link KernelKind#SPARSE} exists
     */
    String sparseKindProblem(int batch, KernelKind kind) {
        return kind == KernelKind.SPARSE ? null : "it has the sparse kernel SPARSE only";
    }

    /**
     * Takes a sparse kernel for a batch size without timing (a saved plan, checked by {@link #sparseKindProblem});
     * nothing to do by default.
     *
     * @param batch the batch size
     * @param kind the sparse kernel
     */
    void presetSparse(int batch, KernelKind kind) {
    }

    /** @return what the step computes (as its report lines say) */
    final String operation() {
        return operation;
    }

    /** @return the fraction of non-zero weights */
    final double density() {
        return density;
    }

    /**
     * Makes the next call with this batch size settle the step's choice of kernel ({@link ChoiceRecheck#settle}):
     * both kernels timed on warm code, alternating, the lower median kept, and no timing after it; also where the
     * calibration dropped the dense kernel (its times may be those of a cold start). A step whose calibration has not
     * decided yet settles at its first call after deciding; one that keeps its choice without rechecks is left as
     * it is.
     *
     * @param batch the batch size
     */
    final void requestSettle(int batch) {
        settleBatch = batch;
    }

    /**
     * Makes the next call with this batch size settle the step's choice of kernel again ({@link ChoiceRecheck#reopen},
     * then as {@link #requestSettle}), on the threads that call runs on: {@link PlanRace} settles the plan of the
     * other whole-call choice of threads so. A step kept without rechecks (a forced kernel, {@link #unrechecked})
     * keeps its choice; one whose calibration dropped the dense kernel for losing by {@link Calibration#CLEAR_MARGIN}
     * settles too (its first settle if it had none).
     *
     * @param batch the batch size
     */
    final void requestResettle(int batch) {
        ChoiceRecheck recheck = rechecks.get(batch);
        if (recheck != null) {
            recheck.reopen();
        }
        requestSettle(batch);
    }

    /**
     * @param batch a batch size
     * @return true if the step times nothing any more at that batch size: its choice is forced, kept without
     *     rechecks or settled, and the sparse races of a step that runs a sparse kernel have settled
     */
    final boolean settled(int batch) {
        if (forcedKind(batch) == null) {
            Calibration calibration = calibrations.get(batch);
            if (calibration == null || !calibration.done()) {
                return false;
            }
            ChoiceRecheck recheck = rechecks.get(batch);
            boolean rechecked = !sparseAfterDrop(batch, calibration) && !unrechecked.contains(batch);
            if (rechecked && (recheck == null || !recheck.settled())) {
                return false;
            }
        }
        return kernelFor(batch) == KernelKind.DENSE || sparseRacesQuiet(batch);
    }

    /**
     * A settled choice of one step at one batch size, to be taken again later ({@link #adopt}).
     *
     * @param kernel the kernel it runs ({@link #kernelFor})
     * @param line its report line at that batch size, or null
     */
    record Settled(KernelKind kernel, LayerChoice line) {
    }

    /**
     * @param batch a batch size the step has decided
     * @return its choice there now and its report line
     */
    final Settled settledChoice(int batch) {
        LayerChoice line = choices.stream().filter(c -> c.batch() == batch).findFirst().orElse(null);
        return new Settled(kernelFor(batch), line);
    }

    /**
     * Takes a settled choice for good, as {@link #preset} does (nothing timed after it), reporting the line it was
     * settled with and a note.
     *
     * @param batch the batch size
     * @param settled the choice ({@link #settledChoice})
     * @param note appended to the line
     * @throws IllegalArgumentException as {@link #preset}
     */
    final void adopt(int batch, Settled settled, String note) {
        preset(batch, settled.kernel());
        LayerChoice line = settled.line();
        if (line != null) {
            report(new LayerChoice(line.name(), line.operation(), line.density(), line.batch(), line.sparseMillis(),
                    line.denseMillis(), line.kernel(), line.calibration() + note));
        }
    }

    /**
     * @param batch a batch size
     * @return the kernel this step runs at that batch size now (a sparse kind as {@link #sparseKind}), or null
     *     before its calibration decided
     */
    final KernelKind kernelFor(int batch) {
        KernelKind kind = forcedKind(batch);
        if (kind == null) {
            kind = decisions.get(batch);
        }
        return kind == KernelKind.SPARSE ? sparseKind(batch) : kind;
    }

    /**
     * Takes a kernel for a batch size without timing, for good (a deployer's saved plan, {@link TuningPlan}).
     *
     * @param batch the batch size, &ge; 1
     * @param kind {@link KernelKind#DENSE} or one of the step's sparse kernels
     * @throws IllegalArgumentException if the batch is below 1, the kind is not one of this step's kernels, or the
     *     step's policy or density forces the other kernel
     */
    final void preset(int batch, KernelKind kind) {
        String problem = presetProblem(batch, kind);
        if (problem != null) {
            throw new IllegalArgumentException("layer " + name + " cannot run " + kind + " at batch " + batch + ": "
                    + problem);
        }
        boolean sparse = kind != KernelKind.DENSE;
        KernelKind forced = forcedKind(batch);
        if (sparse) {
            presetSparse(batch, kind);
        }
        KernelKind base = sparse ? KernelKind.SPARSE : KernelKind.DENSE;
        if (forced == null) {
            calibrations.put(batch, new Calibration(List.of(base), 1, clock));
            unrechecked.add(batch);
            rechecks.remove(batch);
            if (batch == lastRecheckBatch) {
                lastRecheck = null;
                lastRecheckBatch = 0;
            }
        }
        decide(batch, base);
        report(new LayerChoice(name, operation, density, batch, Double.NaN, Double.NaN, base, "from a saved plan"));
    }

    /**
     * @param batch a batch size
     * @param kind a kernel kind
     * @return why {@link #preset} would reject it, or null if it takes it
     */
    final String presetProblem(int batch, KernelKind kind) {
        if (batch < 1) {
            return "the batch size must be >= 1";
        }
        if (kind != KernelKind.DENSE && kind != KernelKind.SPARSE && kind != KernelKind.SPARSE_BATCHED
                && kind != KernelKind.SPARSE_SMALL_PLANE) {
            return "the kernel must be DENSE, SPARSE, SPARSE_BATCHED or SPARSE_SMALL_PLANE";
        }
        KernelKind forced = forcedKind(batch);
        if (forced != null && (forced == KernelKind.DENSE) != (kind == KernelKind.DENSE)) {
            return "its policy, density or layer type make it run " + forced;
        }
        return kind == KernelKind.DENSE ? null : sparseKindProblem(batch, kind);
    }

    @Override
    public final Tensor run(Tensor[] inputs) {
        Tensor input = inputs[0];
        checkInput(input);
        int batch = (int) input.size(0);
        KernelKind forced = forcedKind(batch);
        if (forced != null) {
            boolean first = decide(batch, forced) == null;
            Tensor output = forced == KernelKind.SPARSE ? runSparse(inputs) : runDense(inputs);
            // the sparse kernel a step picks itself (e.g. the batched one) is known only after its first runs
            if (first || forced == KernelKind.SPARSE && choices.stream().noneMatch(c -> c.batch() == batch && c
                    .kernel() == sparseKind(batch))) {
                report(new LayerChoice(name, operation, density, batch, Double.NaN, Double.NaN, forced,
                        forced == KernelKind.SPARSE && sparseSupported && options.policy() == KernelPolicy.MEASURED
                                ? "not timed: " + (density <= ALWAYS_SPARSE_DENSITY ? "density at most "
                                        + ALWAYS_SPARSE_DENSITY : untimedSparse(batch)) : "not timed: policy "
                                                + (sparseSupported ? options.policy()
                                                        : "DENSE (no sparse kernel for this layer)")));
            }
            return output;
        }
        if (batch == lastRecheckBatch && lastRecheck != null) {
            return recheck(batch, lastCalibration, lastRecheck, inputs);
        }
        Calibration calibration = calibrations.computeIfAbsent(batch, b -> new Calibration(List.of(
                KernelKind.DENSE, KernelKind.SPARSE), options.calibrationRuns(), clock));
        if (calibration.done()) {
            return recheck(batch, calibration, inputs);
        }
        Tensor output = calibration.call(kernels(inputs));
        decide(batch, calibration.kind());
        report(new LayerChoice(name, operation, density, batch, calibration.millis(KernelKind.SPARSE),
                calibration.millis(KernelKind.DENSE), calibration.kind(), calibration.note()));
        return output;
    }

    /**
     * @param batch a batch size whose calibration is done
     * @param calibration its calibration
     * @return true while the step runs the sparse kernel untimed at that batch size because the calibration dropped
     *     the dense kernel for losing by {@link Calibration#CLEAR_MARGIN}: no settle asked for yet, none run
     */
    private boolean sparseAfterDrop(int batch, Calibration calibration) {
        return calibration.dropped(KernelKind.DENSE) && settleBatch != batch && !rechecks.containsKey(batch);
    }

    /**
     * A call after the calibration decided: the kernel kept by its {@link ChoiceRecheck}, which switches when the
     * other kernel, rerun at exponentially spaced calls, has become faster (the calibration's times may be those of
     * code the JIT had not compiled yet).
     */
    private Tensor recheck(int batch, Calibration calibration, Tensor[] inputs) {
        if (sparseAfterDrop(batch, calibration)) {
            // no periodic recheck where oneDNN lost by the clear margin: its two runs per recheck only cost (VGG-19
            // RPG 95 % conv3_1 at batch 32: 2 x 23-35 ms per recheck against 1.8-6 ms for the kept sparse kernel).
            // But a settle asked for (calibrate, the plan race) still times both kernels on warm medians: oneDNN's
            // first calls can be 5-50x its later ones, two OpenMP threads on a core the JIT compiler or another
            // process holds (VGG-19 RPG 98 % at batch 32, session 15: 24-43 ms at calls 2-3 against 0.5-9 ms
            // later, dropped on 7 of 8 layers, 84 ms per call on the caller against 45-54 ms)
            return runSparse(inputs);
        }
        if (unrechecked.contains(batch)) {
            return calibration.kind() == KernelKind.SPARSE ? runSparse(inputs) : runDense(inputs);
        }
        if (!rechecks.containsKey(batch)) {
            String reason = unrechecked(batch, calibration.kind(), calibration.millis(KernelKind.SPARSE),
                    calibration.millis(KernelKind.DENSE));
            if (reason != null) {
                unrechecked.add(batch);
                report(new LayerChoice(name, operation, density, batch, calibration.millis(KernelKind.SPARSE),
                        calibration.millis(KernelKind.DENSE), calibration.kind(), calibration.note()
                                + "; not rechecked: " + reason));
                return recheck(batch, calibration, inputs);
            }
        }
        ChoiceRecheck recheck = rechecks.computeIfAbsent(batch, b -> new ChoiceRecheck(List.of(KernelKind.DENSE,
                KernelKind.SPARSE), calibration.kind(), clock, calibratedNanos(calibration)));
        lastRecheckBatch = batch;
        lastCalibration = calibration;
        lastRecheck = recheck;
        return recheck(batch, calibration, recheck, inputs);
    }

    /** {@link #recheck(int, Calibration, Tensor[])} with the batch size's recheck found. */
    private Tensor recheck(int batch, Calibration calibration, ChoiceRecheck recheck, Tensor[] inputs) {
        KernelKind before = recheck.kind();
        boolean settling = settleBatch == batch && !recheck.settled();
        if (settleBatch == batch) {
            settleBatch = 0;
        }
        boolean wasSettled = recheck.settled();
        Tensor output = settling ? recheck.settle(kernels(inputs)) : recheck.call(kernels(inputs));
        if (recheck.settled() && !wasSettled) {
            // the sparse races count only calls that run a sparse kernel: one that ran only at rechecks, or not at
            // all, would reach its own last recheck much later, so it settles now (two rechecks on warm code)
            settleSparseRaces(batch);
        }
        if (recheck.kind() != before || recheck.settled() != wasSettled) {
            decide(batch, recheck.kind());
            report(new LayerChoice(name, operation, density, batch, recheck.millis(KernelKind.SPARSE),
                    recheck.millis(KernelKind.DENSE), recheck.kind(), calibration.note() + recheck.note()));
        }
        return output;
    }

    /** @return the calibration's fastest run per kernel it timed, in ns (the start of its {@link ChoiceRecheck}) */
    private static Map<KernelKind, Long> calibratedNanos(Calibration calibration) {
        Map<KernelKind, Long> nanos = new HashMap<>();
        for (KernelKind kind : List.of(KernelKind.DENSE, KernelKind.SPARSE)) {
            double millis = calibration.millis(kind);
            if (Double.isFinite(millis)) {
                nanos.put(kind, Math.round(millis * 1e6));
            }
        }
        return nanos;
    }

    @Override
    public final List<LayerChoice> choices() {
        return List.copyOf(choices);
    }

    /**
     * @param batch a batch size
     * @return false if this step runs its dense kernel at that batch size (by policy or by its decision)
     */
    final boolean maySparse(int batch) {
        KernelKind decided = decision(batch);
        return sparseSupported && options.policy() != KernelPolicy.DENSE && (decided == null
                || decided == KernelKind.SPARSE);
    }

    /**
     * @param batch a batch size
     * @return the kernel decided for it, or null before a decision
     */
    private KernelKind decision(int batch) {
        if (batch != lastDecisionBatch) {
            lastDecision = decisions.get(batch);
            lastDecisionBatch = batch;
        }
        return lastDecision;
    }

    /**
     * Records the decision for a batch size.
     *
     * @return the decision it replaces, or null
     */
    private KernelKind decide(int batch, KernelKind kind) {
        lastDecisionBatch = batch;
        lastDecision = kind;
        KernelKind before = decisions.put(batch, kind);
        if (before != kind) {
            DecisionVersion.bump();
        }
        return before;
    }

    /**
     * @param batch a batch size
     * @return true if this step runs its dense kernel at that batch size for good (forced, or calibration done and
     *     the dense kernel chosen); false while it calibrates
     */
    final boolean decidedDense(int batch) {
        KernelKind forced = forcedKind(batch);
        if (forced != null) {
            return forced == KernelKind.DENSE;
        }
        Calibration calibration = calibrations.get(batch);
        return calibration != null && calibration.done() && decisions.get(batch) == KernelKind.DENSE;
    }

    /**
     * @param batch a batch size
     * @return true while the measured calibration of that batch size runs (started and not done), false before it,
     *     after it (when {@link ChoiceRecheck} runs) and where a kernel is forced
     */
    final boolean calibrating(int batch) {
        Calibration calibration = calibrations.get(batch);
        return forcedKind(batch) == null && calibration != null && !calibration.done();
    }

    /** @return the layer name, for error messages */
    final String name() {
        return name;
    }

    /** @return the kernel the policy, the density or {@link #untimedSparse} forces, or null if both are timed */
    private KernelKind forcedKind(int batch) {
        if (!sparseSupported || options.policy() == KernelPolicy.DENSE) {
            return KernelKind.DENSE;
        }
        if (options.policy() == KernelPolicy.SPARSE || density <= ALWAYS_SPARSE_DENSITY || untimedSparse(
                batch) != null) {
            return KernelKind.SPARSE;
        }
        return null;
    }

    /** The kernels of this call for {@link Calibration}. */
    private Calibration.Kernels kernels(Tensor[] inputs) {
        return new Calibration.Kernels() {
            @Override
            public Tensor run(KernelKind kind) {
                return kind == KernelKind.SPARSE ? runSparse(inputs) : runDense(inputs);
            }

            @Override
            public Calibration.Probe probe(KernelKind kind) {
                return kind == KernelKind.SPARSE ? sparseProbe(inputs) : null;
            }

            @Override
            public void discard(Tensor output) {
                CalibratedStep.this.discard(output);
            }
        };
    }

    private void report(LayerChoice choice) {
        LayerChoice reported = choice.kernel() == KernelKind.SPARSE ? new LayerChoice(choice.name(),
                choice.operation(), choice.density(), choice.batch(), choice.sparseMillis(), choice.denseMillis(),
                sparseKind(choice.batch()), choice.calibration()) : choice;
        choices.removeIf(c -> c.batch() == reported.batch());
        choices.add(reported);
        LOG.debug("kernel choice: {}", reported);
    }
}
