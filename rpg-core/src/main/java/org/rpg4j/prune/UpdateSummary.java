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
 * @param meanTruncationRank mean over the rank-loss layers of the truncation rank {@code k} the rank loss
 *     chose at this update ({@code NaN} without rank loss). Free, unlike a delta-rank after the update,
 *     which needs a decomposition of every layer (about 1 s for ResNet-50); {@link Pruner#report} gives
 *     delta-ranks on demand.
 * @param millis wall time of the update in milliseconds
 */
public record UpdateSummary(long iteration, int updateIndex, double scheduledDensity, long thresholdKept,
                            double sparsity,
                            double dropFraction, long grown, double rankLoss, int activeRankLayers,
                            double meanTruncationRank, long millis) {}
