package org.rpg4j.prune;

/** How the adversarial rank gradient reaches the weights. */
public enum RankLossMode {
    /**
     * The reference algorithm: the rank gradient is added to the dense gradient only on the
     * iteration before each topology update, where it serves as the regrowth score; the optimizer
     * step of that iteration is skipped, so the rank loss never moves the weights directly.
     */
    REFERENCE,
    /**
     * The rank gradient is also added to the masked gradient of the active weights every
     * {@code rankEvery} iterations and the optimizer step is taken, so the rank loss acts as a
     * regulariser. Topology updates behave as in {@link #REFERENCE}.
     */
    REGULARISER
}
