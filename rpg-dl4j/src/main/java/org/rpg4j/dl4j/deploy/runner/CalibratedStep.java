package org.rpg4j.dl4j.deploy.runner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A step with a sparse and a dense kernel for the same result. Under {@link KernelPolicy#MEASURED}
 * the first call with a new batch size times both kernels, alternating, {@code calibrationRuns} times
 * each on that very input, and keeps the faster for that batch size (the measured cost model); the
 * other policies force one kernel. The decision and the timings are reported as a {@link LayerChoice}.
 *
 * <p>The timing is repeated at the second and the third call with that batch size, and the fastest
 * run of each kernel over those two calls makes the final decision: at the first call the JIT may still
 * be compiling the sparse kernel (measured on ResNet-56 at batch 32: the first 14 layers timed up to
 * 1.7x slower than the 15th, which had a higher density, and so chose the dense kernel where the sparse
 * one was faster), and one call's three runs of a sub-millisecond layer can all be hit by a garbage
 * collection or another process (an idle profile of the RPG-pruned ResNet-56 at 98 % chose oneDNN for
 * 35 layers with 0.0-1.3 % non-zeros).
 */
abstract class CalibratedStep implements Step {

    private static final Logger LOG = LoggerFactory.getLogger(CalibratedStep.class);
    private static final double NANOS_PER_MILLI = 1e6;
    /**
     * At or below this weight density the sparse kernel is chosen without timing: it does at most 1/50
     * of the dense multiply-adds plus one pass over the output, and wall-time calibration of such
     * sub-millisecond layers is what a loaded machine disturbs most (see the class comment).
     */
    static final double ALWAYS_SPARSE_DENSITY = 0.02;
    /** Calls per batch size that time both kernels: the first (JIT warm-up) and two more that count. */
    private static final int CALIBRATED_CALLS = 3;

    private final String name;
    private final String operation;
    private final double density;
    private final RunnerOptions options;
    private final boolean sparseSupported;
    private final Map<Integer, KernelKind> decisions = new HashMap<>();
    private final Map<Integer, Integer> calls = new HashMap<>();
    /** Per batch size: the fastest sparse and dense run (ns) since the second call. */
    private final Map<Integer, long[]> fastest = new HashMap<>();
    private final List<LayerChoice> choices = new ArrayList<>();

    /**
     * @param name layer name
     * @param operation what the step computes
     * @param density fraction of non-zero weights
     * @param options the policy and the calibration runs
     * @param sparseSupported false if only the dense kernel can compute this layer (e.g. dilation)
     */
    CalibratedStep(String name, String operation, double density, RunnerOptions options, boolean sparseSupported) {
        this.name = name;
        this.operation = operation;
        this.density = density;
        this.options = options;
        this.sparseSupported = sparseSupported;
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

    @Override
    public final Tensor run(Tensor[] inputs) {
        Tensor input = inputs[0];
        checkInput(input);
        int batch = (int) input.size(0);
        int call = calls.merge(batch, 1, Integer::sum);
        KernelKind kind = decisions.get(batch);
        if (call <= CALIBRATED_CALLS) {
            kind = decide(inputs, batch, call == 1);
            decisions.put(batch, kind);
        }
        return kind == KernelKind.SPARSE ? runSparse(inputs) : runDense(inputs);
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
        return sparseSupported && options.policy() != KernelPolicy.DENSE
                && decisions.getOrDefault(batch, KernelKind.SPARSE) == KernelKind.SPARSE;
    }

    /**
     * @param batch a batch size
     * @return the kernel to report when the sparse kernel runs at that batch size: {@link KernelKind#SPARSE}, or a
     *     more specific sparse kernel the step chose itself
     */
    KernelKind sparseKind(int batch) {
        return KernelKind.SPARSE;
    }

    /** @return the layer name, for error messages */
    final String name() {
        return name;
    }

    /** @param first true at the first call: its times decide that call only and are not kept */
    private KernelKind decide(Tensor[] inputs, int batch, boolean first) {
        double sparseMillis = Double.NaN;
        double denseMillis = Double.NaN;
        KernelKind kind;
        if (!sparseSupported || options.policy() == KernelPolicy.DENSE) {
            kind = KernelKind.DENSE;
        } else if (options.policy() == KernelPolicy.SPARSE || density <= ALWAYS_SPARSE_DENSITY) {
            kind = KernelKind.SPARSE;
        } else {
            long[] best = first ? new long[] {Long.MAX_VALUE, Long.MAX_VALUE}
                    : fastest.computeIfAbsent(batch, b -> new long[] {Long.MAX_VALUE, Long.MAX_VALUE});
            for (int r = 0; r < options.calibrationRuns(); r++) {
                long start = System.nanoTime();
                Tensor sparse = runSparse(inputs);
                long middle = System.nanoTime();
                Tensor dense = runDense(inputs);
                long end = System.nanoTime();
                discard(sparse);
                discard(dense);
                best[0] = Math.min(best[0], middle - start);
                best[1] = Math.min(best[1], end - middle);
            }
            sparseMillis = best[0] / NANOS_PER_MILLI;
            denseMillis = best[1] / NANOS_PER_MILLI;
            kind = best[0] < best[1] ? KernelKind.SPARSE : KernelKind.DENSE;
        }
        LayerChoice choice = new LayerChoice(name, operation, density, batch, sparseMillis, denseMillis,
                kind == KernelKind.SPARSE ? sparseKind(batch) : kind);
        choices.removeIf(c -> c.batch() == batch);
        choices.add(choice);
        LOG.debug("kernel choice: {}", choice);
        return kind;
    }
}
