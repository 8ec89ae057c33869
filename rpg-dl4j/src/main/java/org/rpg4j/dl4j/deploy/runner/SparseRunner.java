package org.rpg4j.dl4j.deploy.runner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.sparse.kernel.CallThreads;
import org.rpg4j.sparse.kernel.KernelThreading;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An inference-only runner compiled from a trained, typically pruned, DL4J network. 2-D
 * convolutions (with the batch norm after them folded in, and a ReLU after that fused) and dense
 * layers run either rpg4j's sparse kernels or a dense ND4J op; under {@link KernelPolicy#MEASURED}
 * each such layer times both at the first calls with a new batch size (a warm-up call and
 * {@link RunnerOptions#calibrationRuns()} more, up to twice as many where the two kernels are within 1.25x of each
 * other; a kernel that loses by a clear margin, measured or predicted from a
 * slice of its work, stops being timed, so a calibrating call costs at most about three steady ones) and keeps the
 * faster ({@link #report()} lists the choices, what was timed and what was skipped and why); after that, at the
 * 8th, 16th, 32nd and 64th call after the decision, both kernels are timed once more and the choice switches if the
 * other has become faster (the first calls may time Java kernels the JIT has not compiled yet), and at the 128th the
 * choice settles on medians of warm alternating runs; under {@link KernelThreading#PER_CALL} a race between the two
 * complete plans follows ({@link PlanRace}); no call times anything after about 190 calls per batch size.
 * {@link #calibrate} settles a batch size at once, {@link #tuningPlan()} saves the choices and {@link #applyPlan}
 * loads them into a fresh runner, which then times nothing at those batch sizes. Residual adds, max pooling
 * and global pooling run on Java arrays ({@link StepCoverage}); all other layers and vertices run DL4J's own inference.
 * Outputs equal {@code network.output(input)} up to float32 rounding (the tests hold them within 1e-4).
 *
 * <pre>{@code
 * SparseRunner runner = SparseRunner.compile(prunedGraph, RunnerOptions.defaults());
 * runner.calibrate(sampleImages);                      // every timing decision for that batch size, now
 * INDArray probabilities = runner.output(images)[0];   // images [batch, 3, 32, 32]
 * String plan = runner.tuningPlan().toJson();          // keep it: SparseRunner.compile(...).applyPlan(...)
 * runner.report().forEach(System.out::println);
 * }</pre>
 *
 * <p>Threads: the sparse kernels and the Java steps spread their work over the calling thread and the common
 * fork-join pool ({@link RunnerOptions#threading()}). By default ({@link KernelThreading#PER_CALL}) the runner
 * chooses per batch size, by timing whole calls interleaved after its warm-up calls on the caller (and rechecking at
 * exponentially spaced calls, three rounds in all), between every step on the calling thread alone and the fixed rule of {@link
 * KernelThreading#COMMON_POOL} (steps of at least 200,000 multiply-adds on the caller and the pool); the caller wins
 * unless the pool is 1.1x faster; once the kernels have settled on the threads kept, the kernels of the other choice
 * settle again on its threads and warm whole calls of the two complete plans, alternating, keep the one with the
 * lower median call time, with its kernels ({@link PlanRace}; the pool only if 1.05x faster; the report says what
 * was chosen); the Java kernels' outputs are the same bit for bit
 * under both, and a dense convolution runs as one oneDNN call on the caller and split over the threads with the pool
 * (the same bits in the tests, equal within float rounding in general). By default ({@link
 * NativeThreading#JAVA_THREADS}) the native ops run on one OpenMP thread each, a dense convolution split over those
 * same Java threads, so that libnd4j's OpenMP workers, which keep spinning on a core for a while after each parallel
 * native op, never compete with the Java kernels for the cores; the calling thread's OpenMP thread count is restored
 * when a call returns.
 *
 * <p>The weights are copied at compile time: later changes to the network are not seen. The runner
 * reuses the network's layer objects for the DL4J steps, so it is not thread-safe, and the network
 * must not be used at the same time.
 */
public final class SparseRunner {

    private static final Logger LOG = LoggerFactory.getLogger(SparseRunner.class);
    /** Calls after which each phase of {@link #calibrate} stops waiting for the kernels' timing to end. */
    static final int MAX_CALIBRATION_CALLS = 200;

    private final Plan plan;
    private final ComputationGraph graph;
    private final NativeThreading nativeThreading;
    private final ArrayPool pool = new ArrayPool();
    /** Per slot, the node after which its value is released to the pool. */
    private final int[] lastReaders;
    /** Under {@link KernelThreading#PER_CALL}, the whole calls' choice of threads; else null. */
    private final CallThreadsCheck callCheck;
    /** Under {@link KernelThreading#PER_CALL}, the race between the two complete plans; else null. */
    private final PlanRace plans;
    /** The steps with a choice of kernels, in execution order (the plan's steps never change). */
    private final List<CalibratedStep> calibratedSteps;
    /** Under {@link KernelPolicy#MEASURED}, compiles a runner of the same network under {@link KernelPolicy#SPARSE}
     * for {@link KernelWarmUp}; else null. */
    private final Supplier<SparseRunner> sparseTwin;
    /** Batch sizes at which {@link #calibrate} has warmed the sparse kernels. */
    private final Set<Integer> warmedBatches = new HashSet<>();

    private SparseRunner(Plan plan, ComputationGraph graph, RunnerOptions options, Supplier<SparseRunner> sparseTwin) {
        this.plan = plan;
        this.sparseTwin = options.policy() == KernelPolicy.MEASURED ? sparseTwin : null;
        this.graph = graph;
        this.nativeThreading = options.nativeThreading();
        if (nativeThreading == NativeThreading.OPENMP) {
            OpenMpThreads.adviseOnce();
        }
        plan.connect(pool);
        this.lastReaders = plan.lastReaders();
        this.calibratedSteps = plan.nodes().stream().map(Plan.Node::step).filter(CalibratedStep.class::isInstance)
                .map(CalibratedStep.class::cast).toList();
        this.callCheck = options.threading() == KernelThreading.PER_CALL ? new CallThreadsCheck() : null;
        this.plans = callCheck == null ? null : new PlanRace(calibratedSteps, System::nanoTime,
                callCheck::decideByPlans);
    }

    /**
     * @param network an initialised network with NCHW convolutions; not modified
     * @param options kernel policy and threading
     * @return the runner
     * @throws IllegalArgumentException if an argument is null or the network is not initialised
     */
    public static SparseRunner compile(MultiLayerNetwork network, RunnerOptions options) {
        if (network == null || options == null) {
            throw new IllegalArgumentException("network and options must not be null");
        }
        if (network.getLayers() == null) {
            throw new IllegalArgumentException("network must be initialised (call init()) before compile");
        }
        return new SparseRunner(LayerListCompiler.compile(network, options), null, options, () -> compile(network,
                options.withPolicy(KernelPolicy.SPARSE)));
    }

    /**
     * @param graph an initialised graph with NCHW convolutions; not modified
     * @param options kernel policy and threading
     * @return the runner
     * @throws IllegalArgumentException if an argument is null or the graph is not initialised
     */
    public static SparseRunner compile(ComputationGraph graph, RunnerOptions options) {
        if (graph == null || options == null) {
            throw new IllegalArgumentException("graph and options must not be null");
        }
        if (graph.getVertices() == null) {
            throw new IllegalArgumentException("graph must be initialised (call init()) before compile");
        }
        return new SparseRunner(GraphCompiler.compile(graph, options), graph, options, () -> compile(graph, options
                .withPolicy(KernelPolicy.SPARSE)));
    }

    /**
     * Runs inference.
     *
     * @param inputs one array per network input, each with the batch as dimension 0 (same batch
     *     size); not modified
     * @return one array per network output, new arrays
     * @throws IllegalArgumentException if the number of inputs is wrong, one is null, or the batch
     *     sizes differ
     */
    public INDArray[] output(INDArray... inputs) {
        return run(inputs, null, null);
    }

    /**
     * Makes every timing decision for the sample's batch size now, as a deployer does before serving. Under {@link
     * KernelPolicy#MEASURED} a throw-away runner of the same network under {@link KernelPolicy#SPARSE} first runs
     * untimed calls until they stop getting faster (at most {@value KernelWarmUp#MAX_CALLS} calls or {@value
     * KernelWarmUp#MAX_MILLIS} ms, {@link KernelWarmUp}), so that no Java kernel is timed before the JIT compiles it.
     * Then the kernels'
     * calibration and races run on the calling thread until a call times nothing ({@link Calibration},
     * {@link KernelRace}); the sparse kernel races recheck twice on warm code and settle, and one call settles each
     * layer's choice between the dense and the sparse kernel on medians of {@value ChoiceRecheck#SETTLE_RUNS} warm,
     * alternating runs of each ({@link ChoiceRecheck#settle}). Under {@link KernelThreading#PER_CALL} this happens on
     * the caller after as many calls on it as the thread race's warm-up ({@value CallThreadsCheck#WARM_UP_CALLS} in
     * all), then the same settling runs again with the pool ({@link CallThreads#POOL_ABOVE_THRESHOLD}), so that each
     * whole-call choice of threads has its own complete plan with its kernels chosen on its threads, and {@value
     * PlanRace#PAIRS} pairs of turns of warm whole calls, alternating, keep the plan with the lower median ({@link
     * PlanRace}: the pool only if {@value PlanRace#TIE_MARGIN}x faster), its threads and its kernels. After it, {@link #output} runs
     * the chosen kernels on the chosen threads at that batch size and times nothing. Without it the runner settles by
     * itself within about 190 calls per batch size. Calling it again for a settled batch size costs one call.
     *
     * @param sampleInputs inputs of the batch size to settle, as for {@link #output} (their values matter little: the
     *     kernels' work depends on shapes and weights, not on the values); not modified
     * @return what was decided and what it cost
     * @throws IllegalArgumentException if the inputs are bad (see {@link #output})
     */
    public CalibrationReport calibrate(INDArray... sampleInputs) {
        return calibrate(sampleInputs, true);
    }

    /**
     * @param batch a batch size
     * @return whether {@link #calibrate} warmed the sparse kernels at it ({@link KernelWarmUp})
     */
    boolean warmed(int batch) {
        return warmedBatches.contains(batch);
    }

    /**
     * {@link #calibrate(INDArray...)}, with or without the kernels' warm-up.
     *
     * @param warmKernels whether a runner under {@link KernelPolicy#MEASURED} first warms the sparse kernels at this
     *     batch size ({@link KernelWarmUp}); false where another runner of the same network has just done it
     */
    CalibrationReport calibrate(INDArray[] sampleInputs, boolean warmKernels) {
        checkInputs(sampleInputs);
        int batch = (int) sampleInputs[0].size(0);
        long start = System.nanoTime();
        if (warmKernels && sparseTwin != null && (plans == null || !plans.done(batch)) && warmedBatches.add(batch)) {
            int warmCalls = KernelWarmUp.warm(sparseTwin.get(), sampleInputs);
            LOG.info("batch {}: sparse kernels warmed by {} untimed calls in {} ms before timing", batch, warmCalls,
                    (System.nanoTime() - start) / 1_000_000);
        }
        List<CalibratedStep> steps = calibratedSteps;
        int calls = untilQuiet(sampleInputs, CallThreads.CALLER);
        if (callCheck != null && !plans.done(batch)) {
            // as many untimed calls on the caller as the thread race's own warm-up: in a fresh JVM the JIT's
            // compiler threads still take the second core for a while, which makes the pool look slow (session 13)
            for (; calls < CallThreadsCheck.WARM_UP_CALLS; calls++) {
                KernelThreading.callWith(CallThreads.CALLER, () -> runPlan(sampleInputs, null, null));
            }
            // the caller's plan settles on the caller; the pool's plan settles on the pool, and the faster complete
            // plan is kept (PlanRace)
            calls += settle(sampleInputs, steps, batch, CallThreads.CALLER);
            plans.start(batch, CallThreads.CALLER);
            for (int guard = 0; !plans.done(batch) && guard < 4 * MAX_CALIBRATION_CALLS; guard++) {
                run(sampleInputs, null, null);
                calls++;
            }
        } else {
            calls += settle(sampleInputs, steps, batch, callCheck == null ? null : callCheck.choice(batch));
        }
        double millis = (System.nanoTime() - start) / 1e6;
        List<LayerChoice> lines = report().stream().filter(c -> c.batch() == batch || c.batch() == 0).toList();
        CalibrationReport result = new CalibrationReport(batch, calls, millis, callCheck == null ? null
                : callCheck.choice(batch), lines);
        LOG.info("{}", result);
        return result;
    }

    /**
     * Settles the steps' sparse kernel races, then their choices between the dense and the sparse kernel, on the
     * given threads.
     *
     * @return the calls made
     */
    private int settle(INDArray[] inputs, List<CalibratedStep> steps, int batch, CallThreads threads) {
        steps.forEach(step -> step.settleSparseRaces(batch));
        int calls = untilQuiet(inputs, threads);
        steps.forEach(step -> step.requestSettle(batch));
        return calls + untilQuiet(inputs, threads);
    }

    /**
     * Runs calls until one times nothing ({@link TimingWork}), at most {@link #MAX_CALIBRATION_CALLS}.
     *
     * @param threads the choice of threads the calls run under, or null for the runner's threading (where it does
     *     not choose per call)
     * @return the calls made
     */
    private int untilQuiet(INDArray[] inputs, CallThreads threads) {
        for (int calls = 1; calls <= MAX_CALIBRATION_CALLS; calls++) {
            long before = TimingWork.count();
            if (callCheck != null && threads != null) {
                KernelThreading.callWith(threads, () -> runPlan(inputs, null, null));
            } else {
                runPlan(inputs, null, null);
            }
            if (TimingWork.count() == before) {
                return calls;
            }
        }
        LOG.warn("calibration still timing kernels after {} calls", MAX_CALIBRATION_CALLS);
        return MAX_CALIBRATION_CALLS;
    }

    /**
     * @return the choices in force now for every batch size at which every layer with a choice of kernels has
     *     decided: what {@link #applyPlan} loads into a runner compiled from the same network (call {@link
     *     #calibrate} first, so that they are final)
     * @throws IllegalStateException if no batch size has been decided yet
     */
    public TuningPlan tuningPlan() {
        List<CalibratedStep> steps = calibratedSteps;
        java.util.SortedSet<Integer> seen = new java.util.TreeSet<>();
        steps.forEach(step -> step.choices().forEach(c -> seen.add(c.batch())));
        List<TuningPlan.Batch> batches = new ArrayList<>();
        for (int batch : seen) {
            List<TuningPlan.Layer> layers = new ArrayList<>();
            for (CalibratedStep step : steps) {
                KernelKind kind = batch < 1 ? null : step.kernelFor(batch);
                if (kind == null) {
                    layers = null;
                    break;
                }
                layers.add(new TuningPlan.Layer(step.name(), step.operation(), kind));
            }
            if (layers != null) {
                batches.add(new TuningPlan.Batch(batch, callCheck == null ? null : callCheck.choice(batch), layers));
            }
        }
        if (batches.isEmpty()) {
            throw new IllegalStateException("no batch size decided yet: call calibrate(sampleInputs) first");
        }
        return new TuningPlan(batches);
    }

    /**
     * Loads saved choices ({@link #tuningPlan()} of a runner compiled from the same network with the same options):
     * at the plan's batch sizes every layer runs the planned kernel and whole calls the planned threads, and nothing
     * is timed. Other batch sizes calibrate as usual.
     *
     * @param tuningPlan the saved choices
     * @return this runner
     * @throws IllegalArgumentException if it is null or does not fit this runner: a batch size whose layer list
     *     differs in length, a layer whose name or operation differs, a kernel the layer cannot run at that batch
     *     size (e.g. its density or the policy forces the other), or a choice of threads where this runner has none;
     *     the message names the entry, and nothing is loaded then
     */
    public SparseRunner applyPlan(TuningPlan tuningPlan) {
        if (tuningPlan == null) {
            throw new IllegalArgumentException("tuningPlan must not be null");
        }
        List<CalibratedStep> steps = calibratedSteps;
        for (TuningPlan.Batch b : tuningPlan.batches()) {
            String where = "plan entry batch " + b.batch();
            if (b.layers().size() != steps.size()) {
                throw new IllegalArgumentException(where + " lists " + b.layers().size() + " layers, the runner has "
                        + steps.size() + " layers with a choice of kernels " + steps.stream().map(
                                CalibratedStep::name).toList());
            }
            if (b.threads() != null && callCheck == null) {
                throw new IllegalArgumentException(where + " has threads " + b.threads() + " but this runner's "
                        + "threading does not choose threads per call (only KernelThreading.PER_CALL does)");
            }
            for (int i = 0; i < steps.size(); i++) {
                TuningPlan.Layer layer = b.layers().get(i);
                CalibratedStep step = steps.get(i);
                if (!layer.name().equals(step.name()) || !layer.operation().equals(step.operation())) {
                    throw new IllegalArgumentException(where + " layer " + i + " is " + layer.name() + " ("
                            + layer.operation() + "), the runner's is " + step.name() + " (" + step.operation()
                            + "): was the plan made for another network?");
                }
                String problem = step.presetProblem(b.batch(), layer.kernel());
                if (problem != null) {
                    throw new IllegalArgumentException(where + " layer " + i + " " + layer.name() + " kernel "
                            + layer.kernel() + " is not allowed: " + problem);
                }
            }
        }
        for (TuningPlan.Batch b : tuningPlan.batches()) {
            for (int i = 0; i < steps.size(); i++) {
                steps.get(i).preset(b.batch(), b.layers().get(i).kernel());
            }
            if (b.threads() != null) {
                callCheck.preset(b.batch(), b.threads());
            }
            if (plans != null) {
                plans.skip(b.batch());
            }
        }
        return this;
    }

    /**
     * Runs inference {@code calls} times and times every step (for profiling; the kernel choices are
     * made as in {@link #output}, so call {@link #output} {@code 2 * calibrationRuns + 1} times first to time the
     * final choices: a warm-up call, the counting calls and as many more where two kernels are close).
     *
     * @param calls number of timed runs, &ge; 1
     * @param inputs as for {@link #output}; not modified
     * @return one entry per step in execution order: what it ran and its mean wall time per call
     * @throws IllegalArgumentException if {@code calls < 1} or the inputs are bad (see {@link #output})
     */
    public List<StepTime> profile(int calls, INDArray... inputs) {
        return profile(calls, System::nanoTime, inputs);
    }

    /**
     * As {@link #profile(int, INDArray...)}, each step timed on {@code clock}: e.g. the calling thread's CPU time
     * ({@code ThreadMXBean::getCurrentThreadCpuTime}), which measures a step's whole work when every kernel runs on
     * the calling thread (common pool parallelism 0, one OpenMP thread) and is not lengthened by preemption.
     *
     * @param calls number of timed runs, &ge; 1
     * @param clock nanoseconds, read before and after every step
     * @param inputs as for {@link #output}; not modified
     * @return one entry per step in execution order: what it ran and its mean time per call on {@code clock}
     * @throws IllegalArgumentException if {@code calls < 1}, {@code clock} is null or the inputs are bad
     */
    public List<StepTime> profile(int calls, LongSupplier clock, INDArray... inputs) {
        if (clock == null) {
            throw new IllegalArgumentException("clock must not be null");
        }
        if (calls < 1) {
            throw new IllegalArgumentException("calls must be >= 1, got " + calls);
        }
        long[] nanos = new long[plan.nodes().size()];
        for (int c = 0; c < calls; c++) {
            run(inputs, nanos, clock);
        }
        int batch = (int) inputs[0].size(0);
        List<StepTime> times = new ArrayList<>();
        for (int n = 0; n < nanos.length; n++) {
            List<LayerChoice> stepChoices = plan.nodes().get(n).step().choices();
            LayerChoice choice = stepChoices.stream().filter(c -> c.batch() == batch).findFirst()
                    .orElse(stepChoices.get(0));
            times.add(new StepTime(choice.name(), choice.operation(), choice.kernel(), nanos[n] / 1e6 / calls));
        }
        return List.copyOf(times);
    }

    /**
     * Runs the plan; adds each step's time on {@code clock} to {@code nanos[step]} unless it is null. Under
     * {@link NativeThreading#JAVA_THREADS} the calling thread's native ops run on one OpenMP thread (restored
     * at the end), except in DL4J fallback steps.
     */
    private INDArray[] run(INDArray[] inputs, long[] nanos, LongSupplier clock) {
        checkInputs(inputs);
        if (callCheck != null && KernelThreading.choice() == null) {
            int batch = (int) inputs[0].size(0);
            if (!plans.done(batch) && (plans.running(batch) || startPlans(batch))) {
                return plans.call(batch, choice -> KernelThreading.callWith(choice, () -> runPlan(inputs, nanos,
                        clock)));
            }
            return callCheck.run(batch, () -> runPlan(inputs, nanos, clock));
        }
        return runPlan(inputs, nanos, clock);
    }

    /**
     * Starts the race between complete plans ({@link PlanRace}) once the whole-call thread race has settled and every
     * step has settled its kernels on the threads it kept (without {@link #calibrate}: at about call 135).
     *
     * @return true if it started
     */
    private boolean startPlans(int batch) {
        if (!callCheck.settled(batch) || !calibratedSteps.stream().allMatch(step -> step.settled(batch))) {
            return false;
        }
        plans.start(batch, callCheck.choice(batch));
        return true;
    }

    /** {@link #run} without the whole-call check. */
    private INDArray[] runPlan(INDArray[] inputs, long[] nanos, LongSupplier clock) {
        if (graph != null) {
            graph.setInputs(inputs);
        }
        Tensor[] values = new Tensor[plan.slots()];
        boolean ownThreads = nativeThreading == NativeThreading.JAVA_THREADS;
        int openMpThreads = ownThreads ? OpenMpThreads.limit(1) : 0;
        try {
            for (int i = 0; i < inputs.length; i++) {
                values[plan.inputSlots()[i]] = Tensor.of(inputs[i]);
            }
            List<Plan.Node> nodes = plan.nodes();
            for (int n = 0; n < nodes.size(); n++) {
                Plan.Node node = nodes.get(n);
                Tensor[] in = new Tensor[node.inputs().length];
                for (int i = 0; i < in.length; i++) {
                    in[i] = values[node.inputs()[i]];
                }
                long start = nanos == null ? 0 : clock.getAsLong();
                values[node.output()] = ownThreads && node.step() instanceof FallbackStep
                        ? withOpenMpThreads(node.step(), in, openMpThreads)
                        : node.step().run(in);
                if (nanos != null) {
                    nanos[n] += clock.getAsLong() - start;
                }
                release(values, node, n);
            }
            INDArray[] outputs = new INDArray[plan.outputSlots().length];
            for (int i = 0; i < outputs.length; i++) {
                outputs[i] = values[plan.outputSlots()[i]].array();
            }
            return outputs;
        } finally {
            releaseAll(values);
            if (graph != null) {
                graph.clear();
            }
            OpenMpThreads.restore(openMpThreads);
        }
    }

    /** Runs a DL4J layer with the caller's own OpenMP thread count (as DL4J would run it). */
    private static Tensor withOpenMpThreads(Step step, Tensor[] in, int openMpThreads) {
        OpenMpThreads.restore(openMpThreads);
        try {
            return step.run(in);
        } finally {
            OpenMpThreads.limit(1);
        }
    }

    /**
     * Hands every value still held back to the pool: the outputs (copied into ND4J arrays by now) and,
     * after a step threw, whatever the call had made, so that no call keeps pooled arrays lent.
     */
    private void releaseAll(Tensor[] values) {
        for (int slot = 0; slot < values.length; slot++) {
            if (values[slot] != null) {
                values[slot].release(pool);
                values[slot] = null;
            }
        }
    }

    /** @return the compiled steps in execution order (tests) */
    List<Step> steps() {
        return plan.nodes().stream().map(Plan.Node::step).toList();
    }

    /** @return the pool's arrays waiting for the next call and lent out (tests: both stay bounded) */
    int[] pooledArrays() {
        return new int[] {pool.retained(), pool.outstanding()};
    }

    /** Hands the values whose last reader was node {@code n} back to the pool. */
    private void release(Tensor[] values, Plan.Node node, int n) {
        for (int slot : node.inputs()) {
            if (lastReaders[slot] == n && values[slot] != null) {
                values[slot].release(pool);
                values[slot] = null;
            }
        }
    }

    /**
     * @return one line per compiled layer and batch size seen (kernel, density, calibration times; under
     *     {@link KernelThreading#PER_CALL} also the whole calls' choice of threads) and one per DL4J step, in
     *     execution order
     */
    public List<LayerChoice> report() {
        List<LayerChoice> lines = new ArrayList<>();
        for (Plan.Node node : plan.nodes()) {
            List<LayerChoice> choices = node.step().choices();
            lines.addAll(callCheck == null ? choices : callCheck.report(choices));
        }
        return List.copyOf(lines);
    }

    private void checkInputs(INDArray[] inputs) {
        if (inputs == null || inputs.length != plan.inputSlots().length) {
            throw new IllegalArgumentException("inputs must hold " + plan.inputSlots().length
                    + " array(s), one per network input, got " + (inputs == null ? "null" : inputs.length));
        }
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) {
                throw new IllegalArgumentException("inputs[" + i + "] must not be null");
            }
            if (inputs[i].rank() == 0 || inputs[i].size(0) != inputs[0].size(0)) {
                throw new IllegalArgumentException("inputs must share the batch size (dimension 0), got shapes "
                        + Arrays.toString(Arrays.stream(inputs).map(a -> Arrays.toString(a.shape())).toArray()));
            }
        }
    }
}
