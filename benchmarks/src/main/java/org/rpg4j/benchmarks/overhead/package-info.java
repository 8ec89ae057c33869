/**
 * The denominators of the overhead targets and the per-iteration work of an attached pruning run:
 * one DL4J training iteration of the CIFAR models (DL4J's standard layers and rpg4j's fast layers),
 * and the mask enforcement the adapter's hooks do at every iteration.
 */
package org.rpg4j.benchmarks.overhead;
