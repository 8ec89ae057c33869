/**
 * One topology update on primitive arrays: the global (or per-layer) magnitude prune to the
 * scheduled density, then per layer the reference's drop-and-grow (drop the smallest magnitudes,
 * grow by |dense gradient|, or at random, or not at all), with exact counts and deterministic
 * tie-breaking.
 */
package org.rpg4j.regrow;
