/**
 * Prunes any DL4J {@code MultiLayerNetwork} or {@code ComputationGraph} during its own
 * {@code fit(...)} with RPG: {@link org.rpg4j.dl4j.Dl4jPruning#attach} finds the prunable weights,
 * installs the hooks and returns a {@link org.rpg4j.dl4j.Pruning} handle (report, save, finish);
 * {@link org.rpg4j.dl4j.Dl4jPruning#restore} continues a saved run.
 *
 * <p>Only DL4J's own extension points are used: per-layer {@code Regularization}s (capture the dense
 * gradient before the updater, mask the gradient and the update), one {@code TrainingListener}
 * (snapshot and restore around the skipped optimizer step, topology updates) and the updater state
 * views (zeroed at masked positions). {@link org.rpg4j.dl4j.PrunableLayers} says which layer
 * configurations hold prunable weights and in which layout.
 */
package org.rpg4j.dl4j;
