package org.rpg4j.dl4j.parallel;

/**
 * What pruning cost on ParallelWrapper's main thread, between rounds (all workers wait meanwhile).
 * The per-iteration masking done by each replica on its own thread is not included.
 *
 * @param boundaries round boundaries handled (one per round)
 * @param boundaryMillis wall time of all boundaries, milliseconds (updates included)
 * @param updates topology updates completed
 * @param updateMillis wall time of the topology updates (restore, average, update, push), milliseconds
 */
public record RoundCostSummary(long boundaries, double boundaryMillis, long updates, double updateMillis) {}
