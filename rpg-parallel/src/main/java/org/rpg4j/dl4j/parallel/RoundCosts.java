package org.rpg4j.dl4j.parallel;

/**
 * Wall time rpg4j spends on ParallelWrapper's main thread between rounds (all workers wait
 * meanwhile), in nanoseconds: the boundaries without their topology updates, and the updates. Written by the
 * main thread only; read after {@code fit}.
 */
final class RoundCosts {
    private long boundaries;
    private long boundaryNanos;
    private long updates;
    private long updateNanos;

    synchronized void boundary(long nanos) {
        boundaries++;
        boundaryNanos += nanos;
    }

    synchronized void update(long nanos) {
        updates++;
        updateNanos += nanos;
    }

    synchronized RoundCostSummary summary() {
        return new RoundCostSummary(boundaries, boundaryNanos / 1e6, updates, updateNanos / 1e6);
    }
}
