/**
 * Sparse compute kernels on primitive {@code float[]} arrays for inference with pruned networks:
 * a CSR encoding of a weight matrix ({@code [out, in * kh * kw]} for a convolution, {@code [out, in]}
 * for a dense layer) and the sparse-weight times dense-activation products built on it (convolution
 * in NCHW layout, dense layers), after Elsen et al., "Fast Sparse ConvNets" (CVPR 2020): each
 * non-zero weight scales one contiguous run of activations, so the inner loop is a long, vectorisable
 * multiply-add and no work is spent on pruned weights.
 */
package org.rpg4j.sparse.kernel;
