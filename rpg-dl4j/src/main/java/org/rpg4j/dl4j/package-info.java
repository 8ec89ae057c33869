/**
 * Prunes any DL4J {@code MultiLayerNetwork} or {@code ComputationGraph} during its own
 * {@code fit(...)} with RPG: {@link org.rpg4j.dl4j.Dl4jPruning#attach} finds the prunable weights,
 * installs the hooks and returns a {@link org.rpg4j.dl4j.Pruning} handle (report, save, finish);
 * {@link org.rpg4j.dl4j.Dl4jPruning#restore} continues a saved run.
 *
 * <p>Only DL4J's own extension points are used: one {@code TrainingListener} (checks, capture of the
 * dense gradient, rank gradient, masking before DL4J's gradient normalisation, topology updates,
 * snapshot and restore around a skipped optimizer step), per-layer {@code Regularization}s (mask the
 * gradient after L1/L2 and the update after the updater) and the updater state views (zeroed at
 * masked positions). {@link org.rpg4j.dl4j.PrunableLayers} says which layer configurations hold
 * prunable weights and in which layout. {@code docs/dl4j.md} lists every DL4J construct rpg4j
 * handles or refuses.
 */
package org.rpg4j.dl4j;
