package org.rpg4j.dl4j.parallel;

/**
 * What pruning cost on ParallelWrapper's main thread, between rounds (all workers wait meanwhile).
 * The per-iteration masking done by each replica on its own thread is not included.
 *
 * @param boundaries round boundaries handled (one per round)
 * @param boundaryMillis wall time of all boundaries without the topology updates (replica sync at the
 *     start of a fit, planning, rank step, snapshot before an update round), milliseconds
 * @param updates topology updates completed
 * @param updateMillis wall time of the topology updates (restore, average, update, push), milliseconds;
 *     an update due after the last round of a fit runs when that fit ends, not at a boundary
 */
public record RoundCostSummary(long boundaries, double boundaryMillis, long updates, double updateMillis) {}
