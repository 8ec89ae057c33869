/**
 * Data-driven structured criteria, built on the structured pruning API ({@code ChannelDependencies}
 * groups, {@code ChannelSelection}, {@code StructuredPruning.shrink}, {@code StructuredConfig}) and on
 * the activation statistics of {@code org.rpg4j.dl4j.activations}: {@link
 * org.rpg4j.dl4j.structured.data.HRank} (average feature-map rank), {@link
 * org.rpg4j.dl4j.structured.data.DropNet} (iterative removal of the lowest mean activations) and
 * {@link org.rpg4j.dl4j.structured.data.ChannelPruning} (LASSO channel selection and least-squares
 * reconstruction of the next convolution).
 */
package org.rpg4j.dl4j.structured.data;
