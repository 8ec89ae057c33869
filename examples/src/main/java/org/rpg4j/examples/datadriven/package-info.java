/**
 * The data-driven structured criteria (HRank, DropNet, Channel Pruning) in the examples: their
 * command-line options ({@link org.rpg4j.examples.datadriven.DataDrivenOptions}, a mixin of the
 * examples' options; the runs themselves go through {@code org.rpg4j.examples.structured}), the
 * iterator their statistics batches come from, and
 * {@link org.rpg4j.examples.datadriven.DataDrivenComparison}, which trains a dense model, prunes copies
 * of it to the same channel counts with each criterion and the L1 filter norm, fine-tunes each for the
 * same number of images and reports accuracy, parameters, multiply-adds and the cost of collecting
 * statistics.
 */
package org.rpg4j.examples.datadriven;
