package org.rpg4j.examples.structured;

import java.util.List;
import java.util.Locale;

/**
 * Whether the shrunk architecture is also trained from a fresh initialisation, as in "Rethinking
 * the value of network pruning" (Liu et al., ICLR 2019), beside fine-tuning the inherited weights.
 */
public enum FromScratch {
    /** Only fine-tuning. */
    NONE("none"),
    /** Scratch-E: the shrunk architecture re-initialised and trained for the original {@code --epochs}. */
    SCRATCH_E("scratch-e"),
    /**
     * Scratch-B: the same compute in multiply-adds as training the original network: {@code --epochs}
     * times the MAC reduction, capped (as in the paper) at twice {@code --epochs}.
     */
    SCRATCH_B("scratch-b"),
    /** Both Scratch-E and Scratch-B, one after the other, from the same pruned architecture. */
    BOTH("both");

    /** Scratch-B trains at most this many times the original epochs (Liu et al.'s cap). */
    public static final int SCRATCH_B_CAP = 2;

    private final String cliName;

    FromScratch(String cliName) {
        this.cliName = cliName;
    }

    /** @return the command-line name */
    public String cliName() {
        return cliName;
    }

    /** @return the single trainings this choice runs, in order: none, one, or Scratch-E then Scratch-B */
    public List<FromScratch> runs() {
        return switch (this) {
            case NONE -> List.of();
            case BOTH -> List.of(SCRATCH_E, SCRATCH_B);
            default -> List.of(this);
        };
    }

    /**
     * @param epochs the original network's training epochs, {@code >= 1}
     * @param macsBefore multiply-adds per image of the original network
     * @param macsAfter multiply-adds per image of the shrunk network, {@code >= 1}
     * @return epochs of training from scratch (0 for {@link #NONE})
     * @throws IllegalStateException for {@link #BOTH}, which is two trainings: ask each of {@link #runs()}
     */
    public int epochs(int epochs, long macsBefore, long macsAfter) {
        return switch (this) {
            case NONE -> 0;
            case SCRATCH_E -> epochs;
            // same MACs: epochs * macsBefore / macsAfter, at least epochs, at most twice epochs
            case SCRATCH_B -> (int) Math.min((long) SCRATCH_B_CAP * epochs, Math.max(epochs, Math.round(
                    epochs * (double) macsBefore / Math.max(1, macsAfter))));
            case BOTH -> throw new IllegalStateException("both is two trainings: ask each of runs() for its epochs");
        };
    }

    /**
     * @param name {@code none}, {@code scratch-e}, {@code scratch-b} or {@code both} (case-insensitive)
     * @return the choice
     * @throws IllegalArgumentException naming the allowed values
     */
    public static FromScratch fromCliName(String name) {
        for (FromScratch f : values()) {
            if (f.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("expected none, scratch-e, scratch-b or both but was '" + name + "'");
    }
}
