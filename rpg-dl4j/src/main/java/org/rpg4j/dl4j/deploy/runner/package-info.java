/**
 * An inference-only runner compiled from a trained (pruned) DL4J MultiLayerNetwork or
 * ComputationGraph: 2-D convolutions and dense layers run as sparse kernels
 * ({@link org.rpg4j.sparse.kernel}) or as dense ND4J/oneDNN ops, whichever a per-layer timing on
 * the layer's own shape and batch size finds faster; batch normalisation is folded into the
 * convolution before it (and a following ReLU fused into it); every other layer or vertex runs
 * DL4J's own inference code. The network's training path is not changed.
 */
package org.rpg4j.dl4j.deploy.runner;
