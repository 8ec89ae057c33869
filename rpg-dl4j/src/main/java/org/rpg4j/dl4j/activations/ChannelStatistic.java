package org.rpg4j.dl4j.activations;

/** A per-channel statistic of a layer's output that {@link ActivationCollector} can accumulate. */
public enum ChannelStatistic {
    /** Mean of the output over images and positions ({@code [n, c, h, w]} or {@code [n, c]}): DropNet's score. */
    MEAN_ACTIVATION,
    /** Average numerical rank of each {@code [h, w]} map over images: HRank's score; 4-D outputs only. */
    FEATURE_MAP_RANK
}
