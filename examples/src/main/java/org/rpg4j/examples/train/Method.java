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
    RPG_REG("rpg-reg", "RPG with the rank loss also applied as a regulariser"),
    /** Structured: filters ranked by L1 norm (Li et al., ICLR 2017), removed, network shrunk. */
    L1_FILTER("l1-filter", "structured: L1-norm filter pruning (Li et al.), network shrunk"),
    /** Structured: filters ranked by L2 norm, removed, network shrunk. */
    L2_FILTER("l2-filter", "structured: L2-norm filter pruning, network shrunk"),
    /** Structured: L1 penalty on batch-norm scales, channels ranked by |gamma| (Liu et al., ICCV 2017). */
    SLIMMING("slimming", "structured: Network Slimming (L1 on batch-norm gamma), network shrunk"),
    /** Structured: group lasso on filters and input channels (Wen et al., NIPS 2016). */
    SSL("ssl", "structured: SSL group lasso on filters and input channels, network shrunk"),
    /** Structured, data-driven: channels ranked by the average rank of their feature maps (Lin et al., CVPR 2020). */
    HRANK("hrank", "structured: HRank (average feature-map rank on training batches), network shrunk"),
    /** Structured, data-driven: the lowest mean activations dropped in rounds (Tan and Motani, ICML 2020). */
    DROPNET("dropnet", "structured: DropNet (lowest mean activations dropped in rounds), network shrunk"),
    /** Structured, data-driven: LASSO channel selection and least-squares refit (He et al., ICCV 2017). */
    CHANNEL_PRUNING("channel-pruning", "structured: Channel Pruning (LASSO selection, least-squares refit of the next "
            + "layer), network shrunk");

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
     * @return true for the methods that remove whole channels and shrink the network (their run is
     *     {@code org.rpg4j.examples.structured.StructuredExampleRun})
     */
    public boolean structured() {
        return ordinal() >= L1_FILTER.ordinal();
    }

    /**
     * @return true for the structured methods that choose channels from activation statistics on
     *     training data ({@link #HRANK}, {@link #DROPNET}, {@link #CHANNEL_PRUNING})
     */
    public boolean dataDriven() {
        return ordinal() >= HRANK.ordinal();
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
        throw new IllegalArgumentException(
                "method must be one of dense, gmp, rigl, rpg, rpg-reg, l1-filter, l2-filter, slimming, ssl, hrank, "
                        + "dropnet, channel-pruning; got "
                        + name);
    }

    @Override
    public String toString() {
        return cliName;
    }
}
