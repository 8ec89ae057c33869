package org.rpg4j.prune;

/**
 * What one topology update did.
 *
 * @param iteration 0-based training iteration at whose end the update ran
 * @param updateIndex 0-based index of the update
 * @param scheduledDensity global density the schedule asked for (the current one in the stationary phase)
 * @param thresholdKept weights that survived the global magnitude threshold (-1 when no re-threshold ran);
 *     the reference's per-layer arithmetic {@code (int)((1 - S_l) N_l)} can then keep up to one fewer per layer
 * @param sparsity fraction of masked weights over all prunable tensors after the update
 * @param dropFraction fraction of each layer's survivors that was dropped and regrown
 * @param grown connections grown over all layers
 * @param rankLoss mean rank loss over active layers (0 without rank loss)
 * @param activeRankLayers layers that took part in the rank loss
 * @param meanDeltaRank mean delta-rank of the rank-eligible layers after the update ({@code NaN} if none)
 * @param millis wall time of the update in milliseconds
 */
public record UpdateSummary(long iteration, int updateIndex, double scheduledDensity, long thresholdKept, double sparsity,
                            double dropFraction, long grown, double rankLoss, int activeRankLayers,
                            double meanDeltaRank, long millis) {}
