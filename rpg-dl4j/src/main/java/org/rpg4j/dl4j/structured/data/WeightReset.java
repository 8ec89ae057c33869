package org.rpg4j.dl4j.structured.data;

/** What {@link DropNet} does to the surviving weights after each round (the choice the DropNet paper studies). */
public enum WeightReset {
    /** Keep the trained weights and continue training from them. */
    KEEP,
    /**
     * Reset every parameter to its value when {@link DropNet#attach} was called (removed channels stay
     * masked) and zero the updater state, as the paper's "reset to initial weights" variant.
     */
    RESET_TO_INITIAL
}
