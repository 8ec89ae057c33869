package org.rpg4j.dl4j.shrink;

/** What the updater of a shrunk network starts from. */
public enum UpdaterStatePolicy {
    /**
     * The original network's updater state (momentum, Adam moments, AdaGrad/RMSProp accumulators, ...),
     * sliced exactly like the parameters, plus its iteration and epoch counts: training continues as if the
     * removed channels had never existed. An original without updater state (never trained) gives a fresh
     * one. The default.
     */
    COPY,
    /** Zero state and iteration 0, as for a new network (for example to fine-tune with a new schedule). */
    FRESH
}
