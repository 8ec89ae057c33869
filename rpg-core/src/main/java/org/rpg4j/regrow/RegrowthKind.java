package org.rpg4j.regrow;

/** The built-in drop-and-grow criteria. */
public enum RegrowthKind {
    /** Grow by largest {@code |dense gradient|} (the RPG and RigL reference). */
    GRADIENT(new GradientRegrowth()),
    /** Grow uniformly at random among the positions not kept (seeded through the update's random stream). */
    RANDOM(new RandomRegrowth()),
    /**
     * No drop and grow: each layer keeps exactly its post-threshold mask (gradual magnitude
     * pruning). Unlike the reference with {@code alpha = 0}, no weight is lost to the truncation
     * of {@code K = (int) ((1 - S) * N)}.
     */
    NONE(new NoRegrowth());

    private final Regrowth regrowth;

    RegrowthKind(Regrowth regrowth) {
        this.regrowth = regrowth;
    }

    /** @return the criterion (stateless, shared) */
    public Regrowth regrowth() {
        return regrowth;
    }
}
