/**
 * Convolution timing per layer shape: libnd4j's ops, oneDNN's primitives called directly
 * ({@code org.rpg4j.dl4j.layers.onednn}) and PyTorch, interleaved in one run (docs/performance.md,
 * "Direct oneDNN convolutions").
 */
package org.rpg4j.benchmarks.onednn;
