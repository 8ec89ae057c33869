package org.rpg4j.dl4j.structured;

/** Where the channels of a {@link StructuredConfig} compete for removal. */
public enum RankingScope {
    /**
     * Each group loses {@code floor(sparsity * size)} of its own lowest-scored channels (Li et al.'s
     * per-layer pruning); per-layer sparsities apply.
     */
    PER_GROUP,
    /**
     * All eligible groups' channels, each group's scores divided by its largest, compete in one
     * ranking; {@code floor(channelSparsity * eligible channels)} are removed, never a group's last
     * channel (see {@link org.rpg4j.structured.GlobalChannelSelection}). Per-layer sparsities are not
     * allowed with this scope; excluded layers stay out of the ranking.
     */
    GLOBAL
}
