/**
 * Builders of the example networks as DL4J {@code ComputationGraph}s: CIFAR ResNet-20/32/56 with a
 * width multiplier, VGG-19 with batch normalisation, and a small CNN for 28x28 inputs. Convolution
 * and batch-normalisation layers come from a {@link org.rpg4j.examples.models.LayerKit}, so the
 * same architecture can be built from DL4J's standard layers or from faster ones.
 */
package org.rpg4j.examples.models;
