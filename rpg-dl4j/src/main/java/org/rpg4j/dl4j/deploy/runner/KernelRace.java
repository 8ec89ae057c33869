package org.rpg4j.dl4j.deploy.runner;

import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Per batch size, a race between the per-image sparse kernel ({@link KernelKind#SPARSE}) and one alternative sparse
 * kernel: each timed run records both kernels' times, the first run of a batch size only warms up, and after a fixed
 * number of runs the kernel with the faster fastest run wins. Used by {@link BatchedCandidate} and {@link
 * SmallPlaneCandidate}. Not thread-safe (a step runs on one thread at a time).
 */
final class KernelRace {
    private final String name;
    private final KernelKind alternative;
    private final String alternativeLabel;
    private final int runs;
    private final Logger log;
    /** Per batch size: timed runs so far and the fastest per-image and alternative run (ns). */
    private final Map<Integer, long[]> timings = new HashMap<>();

    /**
     * @param name the layer name, for the log
     * @param alternative the kind the alternative kernel is reported as
     * @param alternativeLabel how the log line names the alternative kernel
     * @param runs timed runs per batch size, the warm-up run included
     * @param log where the decision is logged (debug)
     */
    KernelRace(String name, KernelKind alternative, String alternativeLabel, int runs, Logger log) {
        this.name = name;
        this.alternative = alternative;
        this.alternativeLabel = alternativeLabel;
        this.runs = runs;
        this.log = log;
    }

    /**
     * @param batch the batch size
     * @return the kernel chosen for it, or null while both are still being timed
     */
    KernelKind choice(int batch) {
        long[] t = timings.get(batch);
        if (t == null || t[0] < runs) {
            return null;
        }
        return t[2] < t[1] ? alternative : KernelKind.SPARSE;
    }

    /**
     * Records one timed run of both kernels; the first of a batch size only warms up.
     *
     * @param batch the batch size
     * @param perImageNanos the per-image sparse kernel's time
     * @param alternativeNanos the alternative kernel's time
     */
    void record(int batch, long perImageNanos, long alternativeNanos) {
        long[] t = timings.computeIfAbsent(batch, b -> new long[] {0, Long.MAX_VALUE, Long.MAX_VALUE});
        if (t[0]++ == 0) {
            return;
        }
        t[1] = Math.min(t[1], perImageNanos);
        t[2] = Math.min(t[2], alternativeNanos);
        if (t[0] == runs) {
            log.debug("{} batch {}: per-image sparse {} us, {} {} us -> {}", name, batch, t[1] / 1000,
                    alternativeLabel, t[2] / 1000, choice(batch));
        }
    }
}
