/**
 * The workloads the benchmarks share: the weight-tensor shapes of the models the targets name
 * (CIFAR ResNet-20, ResNet-32 x2, VGG-19; ImageNet ResNet-50) and seeded synthetic weights of
 * those shapes. No timing code lives here.
 */
package org.rpg4j.benchmarks.models;
