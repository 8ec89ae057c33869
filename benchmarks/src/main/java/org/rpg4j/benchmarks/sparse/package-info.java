/**
 * Benchmarks of the sparse inference engine (org.rpg4j.sparse.kernel, org.rpg4j.dl4j.deploy.runner):
 * per-layer kernel time of sparse convolutions against rpg4j's fast dense convolution on ResNet and
 * VGG-19 CIFAR shapes, whole-network inference of pruned VGG-19 and ResNet-56 against DL4J with
 * rpg4j's fast layers, and the report that turns their JMH results into ratios and break-even
 * sparsities.
 */
package org.rpg4j.benchmarks.sparse;
