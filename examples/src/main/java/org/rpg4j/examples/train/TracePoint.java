package org.rpg4j.examples.train;

/**
 * One progress line's numbers, kept for the plots.
 *
 * @param iteration training iterations done
 * @param loss mean DL4J score since the previous progress line
 * @param sparsity fraction of zeros over all prunable weights
 * @param learningRate learning rate of the last iteration
 * @param imagesPerSecond training images per second since the previous progress line
 */
public record TracePoint(long iteration, double loss, double sparsity, double learningRate,
                         double imagesPerSecond) {}
