/**
 * Convolution timing per layer shape: libnd4j's ops, oneDNN's primitives called directly
 * ({@code org.rpg4j.dl4j.layers.onednn}) and PyTorch, interleaved in one run (docs/performance.md,
 * "Direct oneDNN convolutions"); {@code InferenceThreading}: the threading of the deployment runner's dense
 * steps on oneDNN's inference primitive (docs/deployment.md, "Session 8: dense steps on direct oneDNN");
 * {@code FitThreadCpu}: training fits with each JVM thread's CPU time, and {@code SpinAfterConvolution}: a Java loop
 * right after a oneDNN call against one after a pause (docs/performance.md, "Session 11: oneDNN primitives against
 * PyTorch's").
 */
package org.rpg4j.benchmarks.onednn;
