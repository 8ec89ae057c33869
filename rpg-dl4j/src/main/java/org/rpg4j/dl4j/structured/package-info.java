/**
 * Structured pruning of DL4J networks, end to end: {@link org.rpg4j.dl4j.structured.StructuredPruning}
 * analyses a network, scores channels with a criterion, removes the lowest ones (or only the dead
 * ones) and returns a physically smaller network with a per-layer
 * {@link org.rpg4j.dl4j.structured.StructuredReport}; {@link org.rpg4j.dl4j.structured.StructuredConfig}
 * is the immutable, JSON-round-tripping configuration.
 */
package org.rpg4j.dl4j.structured;
