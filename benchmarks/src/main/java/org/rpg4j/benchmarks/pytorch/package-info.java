/**
 * rpg4j's training speed against PyTorch on the same CPU: the CIFAR networks of
 * {@link org.rpg4j.benchmarks.overhead.CifarModels} trained by DL4J with rpg4j's fast layers and by
 * {@code benchmarks/pytorch/cifar_speed.py} (the same shapes), measured in interleaved blocks in one
 * run, and a per-op-kind profile of one training iteration on both sides.
 */
package org.rpg4j.benchmarks.pytorch;
