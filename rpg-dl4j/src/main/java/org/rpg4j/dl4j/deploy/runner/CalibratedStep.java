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
 * <p>The timing is repeated once, at the second call with that batch size, and that second decision
 * is final: at the first call the JIT may still be compiling the sparse kernel (measured on ResNet-56
 * at batch 32: the first 14 layers timed up to 1.7x slower than the 15th, which had a higher density,
 * and so chose the dense kernel where the sparse one was faster).
 */
abstract class CalibratedStep implements Step {

    private static final Logger LOG = LoggerFactory.getLogger(CalibratedStep.class);
    private static final double NANOS_PER_MILLI = 1e6;

    private final String name;
    private final String operation;
    private final double density;
    private final RunnerOptions options;
    private final boolean sparseSupported;
    private final Map<Integer, KernelKind> decisions = new HashMap<>();
    private final Map<Integer, Integer> calls = new HashMap<>();
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

    /** @return the output of the sparse kernel */
    abstract Tensor runSparse(Tensor input);

    /** @return the output of the dense kernel */
    abstract Tensor runDense(Tensor input);

    @Override
    public final Tensor run(Tensor[] inputs) {
        Tensor input = inputs[0];
        checkInput(input);
        int batch = (int) input.size(0);
        int call = calls.merge(batch, 1, Integer::sum);
        KernelKind kind = decisions.get(batch);
        if (call <= 2) {
            kind = decide(input, batch);
            decisions.put(batch, kind);
        }
        return kind == KernelKind.SPARSE ? runSparse(input) : runDense(input);
    }

    @Override
    public final List<LayerChoice> choices() {
        return List.copyOf(choices);
    }

    /** @return the layer name, for error messages */
    final String name() {
        return name;
    }

    private KernelKind decide(Tensor input, int batch) {
        double sparseMillis = Double.NaN;
        double denseMillis = Double.NaN;
        KernelKind kind;
        if (!sparseSupported || options.policy() == KernelPolicy.DENSE) {
            kind = KernelKind.DENSE;
        } else if (options.policy() == KernelPolicy.SPARSE) {
            kind = KernelKind.SPARSE;
        } else {
            long sparseBest = Long.MAX_VALUE;
            long denseBest = Long.MAX_VALUE;
            for (int r = 0; r < options.calibrationRuns(); r++) {
                long start = System.nanoTime();
                runSparse(input);
                long middle = System.nanoTime();
                runDense(input);
                long end = System.nanoTime();
                sparseBest = Math.min(sparseBest, middle - start);
                denseBest = Math.min(denseBest, end - middle);
            }
            sparseMillis = sparseBest / NANOS_PER_MILLI;
            denseMillis = denseBest / NANOS_PER_MILLI;
            kind = sparseBest < denseBest ? KernelKind.SPARSE : KernelKind.DENSE;
        }
        LayerChoice choice = new LayerChoice(name, operation, density, batch, sparseMillis, denseMillis, kind);
        choices.removeIf(c -> c.batch() == batch);
        choices.add(choice);
        LOG.debug("kernel choice: {}", choice);
        return kind;
    }
}
