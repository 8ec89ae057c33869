/**
 * Physical shrinking: from per-group channel keep masks, a new, smaller network of the same type
 * with smaller {@code nIn}/{@code nOut}, the surviving parameters and batch-norm statistics, and
 * the constant output of removed channels folded into the next layers' biases; and, for deployment,
 * {@link org.rpg4j.dl4j.shrink.InferenceFolding}: batch norm folded into the convolution before it and
 * activation layers fused, a plain DL4J network with fewer layers and the same outputs.
 */
package org.rpg4j.dl4j.shrink;
