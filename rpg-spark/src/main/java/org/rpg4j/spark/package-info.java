/**
 * RPG pruning of a DL4J network trained on Apache Spark with {@code ParameterAveragingTrainingMaster}:
 * one set of masks decided on the driver between averaging rounds and shipped with each round's tasks,
 * enforced by every executor at every iteration, with the dense gradient aggregated from the executors.
 * Entry point: {@link org.rpg4j.spark.SparkPruning}.
 */
package org.rpg4j.spark;
