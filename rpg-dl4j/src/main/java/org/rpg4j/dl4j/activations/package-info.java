/**
 * Activation statistics of a trained DL4J network over a bounded number of batches, for the
 * data-driven structured criteria: per-channel mean activation (DropNet), average feature-map rank
 * (HRank), and reservoir samples of convolution input patches (Channel Pruning's LASSO and
 * least squares). Memory is bounded: statistics are accumulated per batch into per-channel sums,
 * and patch samples are fixed-size reservoirs; no batch's activations are kept.
 */
package org.rpg4j.dl4j.activations;
