/**
 * Orchestration: the immutable {@link org.rpg4j.prune.PruningConfig} and the one stateful
 * {@link org.rpg4j.prune.Pruner} that tells a framework adapter, iteration by iteration, what to do
 * (capture the dense gradient, add the rank gradient, run the topology update, skip the step) and
 * keeps the masks.
 */
package org.rpg4j.prune;
