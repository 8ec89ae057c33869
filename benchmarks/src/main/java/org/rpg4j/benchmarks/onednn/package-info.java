/**
 * Convolution timing per layer shape: libnd4j's ops, oneDNN's primitives called directly
 * ({@code org.rpg4j.dl4j.layers.onednn}) and PyTorch, interleaved in one run (docs/performance.md,
 * "Direct oneDNN convolutions"); {@code InferenceThreading}: the threading of the deployment runner's dense
 * steps on oneDNN's inference primitive (docs/deployment.md, "Session 8: dense steps on direct oneDNN").
 */
package org.rpg4j.benchmarks.onednn;
