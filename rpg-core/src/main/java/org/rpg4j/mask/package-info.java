/**
 * Masks and magnitude selection: which weights a magnitude prune keeps, globally (one threshold
 * over all prunable tensors, as the RPG reference) or per layer (uniform, Erdős–Rényi-Kernel),
 * with exact, deterministic counts and O(n) selection on primitive arrays. ND4J-free: the
 * conversions from and to ND4J arrays live in {@code org.rpg4j.tensor}.
 */
package org.rpg4j.mask;
