/**
 * Knowledge distillation (Hinton, Vinyals and Dean, "Distilling the Knowledge in a Neural Network",
 * 2015) inside DL4J's own {@code fit()}: a student network, pruned or being pruned by any rpg4j
 * method, learns from the hard labels and from a frozen teacher network's softened outputs.
 *
 * <p>The seam: {@link org.rpg4j.dl4j.distill.Distillation#attach} swaps the student's output loss
 * for a {@link org.rpg4j.dl4j.distill.DistillationLoss}, and each training batch's labels are
 * widened to {@code [hard labels | teacher logits]} by
 * {@link org.rpg4j.dl4j.distill.Distillation#label} (or the iterator it wraps). Nothing else in the
 * student changes, so rpg4j's pruning hooks (masks, rank loss, topology updates) work unchanged.
 */
package org.rpg4j.dl4j.distill;
