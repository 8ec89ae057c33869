/**
 * Structured (channel) pruning as data, free of any framework: which weight-tensor slices share one
 * channel set ({@link org.rpg4j.structured.ChannelGroup}), which channels of each group to keep
 * ({@link org.rpg4j.structured.KeepSelection}), and how channels are scored
 * ({@link org.rpg4j.structured.ChannelCriterion}).
 *
 * <p>A framework adapter (rpg-dl4j's {@code org.rpg4j.dl4j.graph}) builds the groups from a network,
 * a criterion scores each unlocked group's channels, {@link org.rpg4j.structured.ChannelSelection}
 * turns scores and a channel sparsity into keep masks, and the adapter's shrinker
 * ({@code org.rpg4j.dl4j.shrink}) rebuilds a physically smaller network from them.
 */
package org.rpg4j.structured;
