/**
 * Channel dependency analysis of DL4J networks: which channels of which parameter tensors must be
 * removed together ({@link org.rpg4j.structured.ChannelGroup}s), found by following every
 * convolution, deconvolution and dense output through pass-through layers, element-wise vertices,
 * concatenations and flatten preprocessors into the layers that read it. Whatever the analysis does
 * not understand locks the groups it touches, with the reason.
 */
package org.rpg4j.dl4j.graph;
