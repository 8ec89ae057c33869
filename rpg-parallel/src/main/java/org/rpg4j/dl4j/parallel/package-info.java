/**
 * Pruning under DL4J's {@code ParallelWrapper} (several replicas in one JVM, parameter averaging or
 * shared threshold-encoded gradients): one pruner for all replicas, topology updates between rounds
 * on the replicas' averaged dense gradients, the new masks pushed to every replica before its next
 * iteration, and in shared-gradient mode every worker's encoder residual masked. Entry point:
 * {@link org.rpg4j.dl4j.parallel.ParallelPruning}. Optional module: only users of ParallelWrapper
 * need it (and its dependency on {@code deeplearning4j-parallel-wrapper}).
 */
package org.rpg4j.dl4j.parallel;
