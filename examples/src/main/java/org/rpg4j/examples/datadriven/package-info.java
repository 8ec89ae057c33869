/**
 * The data-driven structured criteria (HRank, DropNet, Channel Pruning) against the L1 filter norm on
 * one trained network: {@link org.rpg4j.examples.datadriven.DataDrivenComparison} trains a dense
 * model, prunes copies of it to the same channel counts, fine-tunes each for the same number of
 * images and reports accuracy, parameters, multiply-adds and the cost of collecting statistics.
 */
package org.rpg4j.examples.datadriven;
