/**
 * DL4J networks in rpg4j's sparse model file ({@code org.rpg4j.sparse.format}): {@link
 * org.rpg4j.dl4j.deploy.format.SparseModels} writes a MultiLayerNetwork or ComputationGraph (plain,
 * or during an rpg4j pruning run, whose masks then decide what is stored) and loads it back as a
 * ready network whose outputs equal the original's bit for bit in float32 mode.
 */
package org.rpg4j.dl4j.deploy.format;
