/**
 * Benchmarks of the topology update (global magnitude threshold plus per-layer drop and grow), on
 * rpg-core's primitive entry point and through the {@link org.rpg4j.prune.Pruner} as an adapter
 * calls it.
 */
package org.rpg4j.benchmarks.prune;
