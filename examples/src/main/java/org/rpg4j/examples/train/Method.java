package org.rpg4j.examples.train;

import java.util.Locale;

/** The training methods the examples compare, with their command-line names. */
public enum Method {
    /** No pruning: the dense baseline. */
    DENSE("dense", "dense training, no pruning"),
    /** Gradual global magnitude pruning: no regrowth, no rank loss. */
    GMP("gmp", "gradual magnitude pruning (no regrowth, no rank loss)"),
    /** Gradual pruning with gradient regrowth and no rank loss (RigL-style). */
    RIGL("rigl", "gradual pruning with gradient regrowth, no rank loss (RigL-style)"),
    /** RPG as the reference runs it: gradient regrowth scored with the adversarial rank loss. */
    RPG("rpg", "RPG: gradient regrowth with the adversarial rank loss (reference mode)"),
    /** RPG with the rank gradient also applied to the weights as a regulariser. */
    RPG_REG("rpg-reg", "RPG with the rank loss also applied as a regulariser");

    private final String cliName;
    private final String description;

    Method(String cliName, String description) {
        this.cliName = cliName;
        this.description = description;
    }

    /** @return the name used on the command line and in outputs */
    public String cliName() {
        return cliName;
    }

    /** @return one line describing the method */
    public String description() {
        return description;
    }

    /** @return true for every method except {@link #DENSE} */
    public boolean prunes() {
        return this != DENSE;
    }

    /**
     * @param name a command-line name such as {@code rpg} (case-insensitive)
     * @return the method
     * @throws IllegalArgumentException naming the allowed values
     */
    public static Method fromCliName(String name) {
        for (Method m : values()) {
            if (m.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("method must be one of dense, gmp, rigl, rpg, rpg-reg; got " + name);
    }

    @Override
    public String toString() {
        return cliName;
    }
}
