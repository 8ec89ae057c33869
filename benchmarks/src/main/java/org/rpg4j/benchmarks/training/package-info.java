/**
 * Training-speed benchmarks: DL4J's standard layers against rpg4j's fast layers
 * ({@code org.rpg4j.dl4j.layers}), measured in the same JVM and reported as ratios. A whole network
 * ({@link org.rpg4j.benchmarks.training.ResNet20TrainingSpeed}, a plain main) and one JMH class per
 * layer type ({@link org.rpg4j.benchmarks.training.ConvolutionLayerBenchmark},
 * {@link org.rpg4j.benchmarks.training.BatchNormalizationBenchmark}). Run them alone on the machine.
 */
package org.rpg4j.benchmarks.training;
