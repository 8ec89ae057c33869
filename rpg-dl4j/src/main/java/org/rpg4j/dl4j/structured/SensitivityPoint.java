package org.rpg4j.dl4j.structured;

/**
 * One measurement of a {@link SensitivityAnalysis}: one channel group pruned alone at one ratio.
 *
 * @param group the group's name (its first producing layer)
 * @param groupId the group's id in the analysis
 * @param channels channels of the group before pruning
 * @param ratio the requested fraction, in [0, 1)
 * @param removed channels removed: {@code min(floor(ratio * channels), channels - 1)}
 * @param loss mean loss per example on the evaluation batches, without regularisation terms
 * @param accuracy fraction of evaluation examples whose arg-max output is the arg-max label, in [0, 1]
 */
public record SensitivityPoint(String group, int groupId, int channels, double ratio, int removed, double loss,
                               double accuracy) {}
