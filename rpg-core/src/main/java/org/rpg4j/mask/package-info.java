/**
 * Masks and magnitude selection: which weights a magnitude prune keeps, globally (one threshold
 * over all prunable tensors, as the RPG reference) or per layer (uniform, Erdős–Rényi-Kernel),
 * with exact, deterministic counts and O(n) selection on primitive arrays; plus conversions
 * between ND4J arrays and those primitive arrays.
 */
package org.rpg4j.mask;
