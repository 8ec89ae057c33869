package org.rpg4j.examples.train;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The learning rate of the RPG reference ({@code cosine2} in its {@code training.py}), per
 * iteration {@code i} (0-based) with {@code W} warm-up and {@code T} total iterations:
 * {@code lr * (i + 1) / W} for {@code i < W}, then {@code lr / 2 * (1 + cos(pi * (i - W + 1) / (T - W)))},
 * reaching 0 at the last iteration {@code T - 1} and staying there. Serialised with the network.
 */
public final class CosineWarmupSchedule implements ISchedule {
    private static final long serialVersionUID = 1L;

    @JsonProperty("baseLearningRate")
    private final double baseLearningRate;
    @JsonProperty("warmupIterations")
    private final long warmupIterations;
    @JsonProperty("totalIterations")
    private final long totalIterations;

    /**
     * @param baseLearningRate peak learning rate, finite and {@code > 0}
     * @param warmupIterations iterations of linear warm-up, in {@code [0, totalIterations)}
     * @param totalIterations iterations of the whole run, {@code >= 1}
     * @throws IllegalArgumentException naming the first invalid value
     */
    @JsonCreator
    public CosineWarmupSchedule(@JsonProperty("baseLearningRate") double baseLearningRate,
                                @JsonProperty("warmupIterations") long warmupIterations,
                                @JsonProperty("totalIterations") long totalIterations) {
        if (!(baseLearningRate > 0) || Double.isInfinite(baseLearningRate)) {
            throw new IllegalArgumentException("baseLearningRate must be finite and > 0, got " + baseLearningRate);
        }
        if (totalIterations < 1) {
            throw new IllegalArgumentException("totalIterations must be >= 1, got " + totalIterations);
        }
        if (warmupIterations < 0 || warmupIterations >= totalIterations) {
            throw new IllegalArgumentException("warmupIterations must be in [0, " + totalIterations + "), got "
                    + warmupIterations);
        }
        this.baseLearningRate = baseLearningRate;
        this.warmupIterations = warmupIterations;
        this.totalIterations = totalIterations;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        if (iteration < warmupIterations) {
            return baseLearningRate * (iteration + 1) / warmupIterations;
        }
        double progress = Math.min(1.0, (double) (iteration - warmupIterations + 1)
                / (totalIterations - warmupIterations));
        return 0.5 * baseLearningRate * (1 + Math.cos(Math.PI * progress));
    }

    @Override
    public ISchedule clone() {
        return new CosineWarmupSchedule(baseLearningRate, warmupIterations, totalIterations);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CosineWarmupSchedule s && Double.compare(baseLearningRate, s.baseLearningRate) == 0
                && warmupIterations == s.warmupIterations && totalIterations == s.totalIterations;
    }

    @Override
    public int hashCode() {
        return Objects.hash(baseLearningRate, warmupIterations, totalIterations);
    }

    @Override
    public String toString() {
        return "cosine(lr " + baseLearningRate + ", warm-up " + warmupIterations + " of " + totalIterations
                + " iterations)";
    }
}
