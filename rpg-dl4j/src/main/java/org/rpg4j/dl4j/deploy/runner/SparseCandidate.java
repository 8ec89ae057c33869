package org.rpg4j.dl4j.deploy.runner;

import java.util.HashMap;
import java.util.Map;
import org.rpg4j.sparse.kernel.ConvolutionShape;

/**
 * A convolution step's extra sparse kernel that races the per-image one per batch size ({@link KernelRace}): what
 * {@link BatchedCandidate} and {@link SmallPlaneCandidate} share, the race's calls and the kernel built once per
 * input size. Not thread-safe (a step runs on one thread at a time).
 *
 * @param <K> the kernel's class
 */
abstract class SparseCandidate<K> {

    private final KernelRace race;
    private final Map<Long, K> bySize = new HashMap<>();

    /** @param race the race of this kernel against the per-image one */
    SparseCandidate(KernelRace race) {
        this.race = race;
    }

    /**
     * @param batch the batch size
     * @return the sparse kernel chosen for it, or null while both are still being timed
     */
    final KernelKind choice(int batch) {
        return race.choice(batch);
    }

    /**
     * Settles the race at this batch size ({@link KernelRace#settle}).
     *
     * @param batch the batch size
     */
    final void settle(int batch) {
        race.settle(batch);
    }

    /**
     * Reopens the settled race at this batch size ({@link KernelRace#reopen}).
     *
     * @param batch the batch size
     */
    final void reopen(int batch) {
        race.reopen(batch);
    }

    /**
     * @param batch the batch size
     * @return true if the race at that batch size times nothing any more or never ran ({@link KernelRace#quiet})
     */
    final boolean quiet(int batch) {
        return race.quiet(batch);
    }

    /**
     * Takes a kernel at this batch size without timing ({@link KernelRace#preset}).
     *
     * @param batch the batch size
     * @param kind the per-image kernel or this one
     */
    final void preset(int batch, KernelKind kind) {
        race.preset(batch, kind);
    }

    /**
     * Starts one call with this batch size (once per call that runs a sparse kernel on it).
     *
     * @param batch the batch size
     * @return the sparse kernel to run, or null when both are to be run and timed: during the race and at its
     *     rechecks ({@link KernelRace})
     */
    final KernelKind next(int batch) {
        return race.next(batch);
    }

    /**
     * Records one timed run of both kernels; the first of a batch size only warms up.
     *
     * @param batch the batch size
     * @param perImageNanos the per-image sparse kernel's time
     * @param candidateNanos this kernel's time
     */
    final void record(int batch, long perImageNanos, long candidateNanos) {
        race.record(batch, perImageNanos, candidateNanos);
    }

    /**
     * @param shape the convolution at this input size
     * @return the kernel for it (built once per input size)
     */
    final K kernel(ConvolutionShape shape) {
        return bySize.computeIfAbsent((long) shape.inHeight() << 32 | shape.inWidth(), key -> build(shape));
    }

    /**
     * @param shape the convolution at one input size
     * @return a new kernel for it
     */
    abstract K build(ConvolutionShape shape);
}
