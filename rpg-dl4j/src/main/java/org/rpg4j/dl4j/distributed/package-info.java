/**
 * Engine-independent pieces of distributed pruning (DL4J ParallelWrapper, DL4J on Spark): one mask
 * for every replica, decided in one place and pushed explicitly. {@link
 * org.rpg4j.dl4j.ReplicaTensors} captures each replica's dense gradient and enforces the masks on
 * it; {@link org.rpg4j.dl4j.distributed.GradientAverage} averages the captured gradients over
 * replicas as the RPG reference's all-reduce does; {@link
 * org.rpg4j.dl4j.distributed.TopologyRound} runs one topology update on the root from the averaged
 * gradients; {@link org.rpg4j.dl4j.distributed.ReplicaPush} makes a replica an exact copy of the
 * root (weights, updater state, masks). The engines' own glue lives in optional modules.
 */
package org.rpg4j.dl4j.distributed;
