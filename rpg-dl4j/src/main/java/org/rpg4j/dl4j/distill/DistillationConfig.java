package org.rpg4j.dl4j.distill;

import java.util.Locale;

/**
 * The two settings of distillation, validated on construction.
 *
 * <p>Convention (this is the one place it is stated): the student's loss per example is
 * {@code hardness * CE(y, softmax(z_s)) + (1 - hardness) * T^2 * KL(softmax(z_t / T) || softmax(z_s / T))},
 * so {@code hardness} is the weight of the hard labels and {@code 1 - hardness} the weight of the
 * teacher. SparseML names the opposite weight "hardness" (its weight of the teacher term); at the
 * default 0.5 both conventions agree. The {@code T^2} factor (Hinton et al. 2015, section 2) keeps
 * the soft term's gradient on the same scale as the hard term's when {@code T} changes.
 *
 * @param temperature {@code T > 0}; larger values soften the teacher's distribution (1 = none)
 * @param hardness weight of the hard-label cross-entropy in [0, 1]; 1 = plain cross-entropy (the
 *     teacher is ignored), 0 = the teacher only
 */
public record DistillationConfig(double temperature, double hardness) {
    /**
     * Default temperature, 4: Hinton et al. report temperatures from 2 to 20 working, lower ones
     * when the student is much smaller than the teacher (a pruned network at 98-99 % is).
     */
    public static final double DEFAULT_TEMPERATURE = 4.0;
    /**
     * Default hardness, 0.5: SparseML's default and the one value on which both naming conventions
     * agree; Hinton et al. found a lower weight on the hard labels best for their (dense) students.
     */
    public static final double DEFAULT_HARDNESS = 0.5;

    /**
     * @param temperature {@code T}, finite and {@code > 0}
     * @param hardness weight of the hard labels, in [0, 1]
     * @throws IllegalArgumentException naming the setting, its value and what is allowed
     */
    public DistillationConfig {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "temperature must be finite and > 0, got %s", temperature));
        }
        if (!(hardness >= 0 && hardness <= 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "hardness must be in [0, 1], got %s",
                    hardness));
        }
    }

    /** @return the defaults (temperature {@value #DEFAULT_TEMPERATURE}, hardness {@value #DEFAULT_HARDNESS}) */
    public static DistillationConfig defaults() {
        return new DistillationConfig(DEFAULT_TEMPERATURE, DEFAULT_HARDNESS);
    }
}
