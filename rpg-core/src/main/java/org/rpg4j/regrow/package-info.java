/**
 * One topology update ({@code TopologyUpdate.apply(UpdateRequest)}, the request validated once when
 * built: per-layer {@code LayerInput}s and the update's settings) on primitive arrays: the global (or per-layer) magnitude prune to the
 * scheduled density, then per layer the reference's drop-and-grow (drop the smallest magnitudes,
 * grow by |dense gradient|, or at random, or not at all), with exact counts and deterministic
 * tie-breaking.
 */
package org.rpg4j.regrow;
