/**
 * Benchmarks of the rank side of RPG: the decomposition per conv-matrix shape and method (with
 * an accuracy check against the full SVD), the rank loss of one layer, and the rank-loss gradient
 * of a whole model.
 */
package org.rpg4j.benchmarks.rank;
