/** Benchmarks of structured pruning: inference speed of physically shrunk networks. */
package org.rpg4j.benchmarks.structured;
