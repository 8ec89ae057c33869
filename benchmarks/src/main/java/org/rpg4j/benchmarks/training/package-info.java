/**
 * Training-speed benchmarks of whole networks: DL4J's standard layers against rpg4j's fast layers
 * ({@code org.rpg4j.dl4j.layers}), measured in the same JVM and reported as a ratio.
 */
package org.rpg4j.benchmarks.training;
