package org.rpg4j.prune;

import java.util.Objects;
import org.rpg4j.mask.LayerBudget;
import org.rpg4j.regrow.RegrowthKind;
import org.rpg4j.schedule.CosineDropFraction;
import org.rpg4j.schedule.PruningSchedule;
import org.rpg4j.schedule.ScheduleKind;
import org.rpg4j.schedule.UpdateCadence;

/**
 * Everything that defines a pruning run (immutable). Built with
 * {@code PruningConfig.builder(targetSparsity).totalIterations(n)...build()}; every value is
 * validated in {@link Builder#build()}.
 *
 * <p>Defaults follow the reference recipe: {@code deltaT = 100}, density ramp ending at 90 % of
 * training, topology updates until 90.1 %, exponential density schedule, global magnitude budget,
 * gradient regrowth with drop fraction {@code alpha = 0.3}, rank loss {@code lambda = 0.5},
 * {@code partialK = 0.1} in reference mode, seed 42. JSON round trip: {@link #toJson()} and
 * {@link #fromJson(String)}.
 */
public final class PruningConfig {
    private final double targetSparsity;
    private final long totalIterations;
    private final int deltaT;
    private final double rampEndFraction;
    private final double updateEndFraction;
    private final ScheduleKind schedule;
    private final LayerBudget budget;
    private final RegrowthKind regrowth;
    private final double alpha;
    private final RankLoss rankLoss;
    private final LayerSelection layers;
    private final UnsupportedLayerPolicy unsupportedLayers;
    private final long seed;

    private PruningConfig(Builder b) {
        this.targetSparsity = b.targetSparsity;
        this.totalIterations = b.totalIterations;
        this.deltaT = b.deltaT;
        this.rampEndFraction = b.rampEndFraction;
        this.updateEndFraction = b.updateEndFraction;
        this.schedule = b.schedule;
        this.budget = b.budget;
        this.regrowth = b.regrowth;
        this.alpha = b.alpha;
        this.rankLoss = b.rankLoss;
        this.layers = b.layers;
        this.unsupportedLayers = b.unsupportedLayers;
        this.seed = b.seed;
    }

    /**
     * @param targetSparsity the final fraction of zeros over all prunable weights, in [0, 1)
     * @return a builder; {@link Builder#totalIterations(long)} is required
     */
    public static Builder builder(double targetSparsity) {
        return new Builder(targetSparsity);
    }

    /** @return a builder holding this configuration's values */
    public Builder toBuilder() {
        return new Builder(targetSparsity).totalIterations(totalIterations).deltaT(deltaT)
                .rampEndFraction(rampEndFraction).updateEndFraction(updateEndFraction).schedule(schedule)
                .budget(budget).regrowth(regrowth).alpha(alpha).rankLoss(rankLoss).layers(layers)
                .unsupportedLayers(unsupportedLayers).seed(seed);
    }

    /** @return the update cadence: updates every {@code deltaT} iterations, placed so the target is reached */
    public UpdateCadence cadence() {
        return UpdateCadence.reachingTarget(totalIterations, deltaT, rampEndFraction, updateEndFraction);
    }

    /** @return the density schedule over iterations */
    public PruningSchedule pruningSchedule() {
        return new PruningSchedule(schedule.curve(), 1.0 - targetSparsity, cadence());
    }

    /** @return the cosine-decayed drop fraction over iterations */
    public CosineDropFraction dropFraction() {
        return new CosineDropFraction(alpha, cadence().tEnd());
    }

    /**
     * @return the final fraction of zeros over all prunable weights, in [0, 1)
     */
    public double targetSparsity() {
        return targetSparsity;
    }

    /**
     * @return the training iterations of the whole run
     */
    public long totalIterations() {
        return totalIterations;
    }

    /**
     * @return the iterations between topology updates, {@code >= 1}
     */
    public int deltaT() {
        return deltaT;
    }

    /**
     * @return the fraction of training at which the density ramp ends, in (0, 1]
     */
    public double rampEndFraction() {
        return rampEndFraction;
    }

    /**
     * @return the fraction of training after which topology updates stop, in (0, 1]
     */
    public double updateEndFraction() {
        return updateEndFraction;
    }

    /**
     * @return the shape of the density ramp
     */
    public ScheduleKind schedule() {
        return schedule;
    }

    /**
     * @return how the global density is shared between layers
     */
    public LayerBudget budget() {
        return budget;
    }

    /**
     * @return how dropped connections are regrown
     */
    public RegrowthKind regrowth() {
        return regrowth;
    }

    /**
     * @return the initial drop fraction of the cosine decay, in [0, 1]
     */
    public double alpha() {
        return alpha;
    }

    /**
     * @return the rank-loss settings
     */
    public RankLoss rankLoss() {
        return rankLoss;
    }

    /**
     * @return which layers are pruned and their caps
     */
    public LayerSelection layers() {
        return layers;
    }

    /**
     * @return what to do with layers rpg4j cannot prune
     */
    public UnsupportedLayerPolicy unsupportedLayers() {
        return unsupportedLayers;
    }

    /**
     * @return the seed of every random choice (random regrowth)
     */
    public long seed() {
        return seed;
    }

    /** @return this configuration as a JSON object */
    public String toJson() {
        return PruningConfigJson.write(this);
    }

    /**
     * @param json a document written by {@link #toJson()}
     * @return the configuration, validated as by {@link Builder#build()}
     * @throws IllegalArgumentException if the document is malformed or a value is invalid
     */
    public static PruningConfig fromJson(String json) {
        return PruningConfigJson.read(json);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PruningConfig c && Double.compare(targetSparsity, c.targetSparsity) == 0
                && totalIterations == c.totalIterations && deltaT == c.deltaT
                && Double.compare(rampEndFraction, c.rampEndFraction) == 0
                && Double.compare(updateEndFraction, c.updateEndFraction) == 0 && schedule == c.schedule
                && budget == c.budget && regrowth == c.regrowth && Double.compare(alpha, c.alpha) == 0
                && rankLoss.equals(c.rankLoss) && layers.equals(c.layers)
                && unsupportedLayers == c.unsupportedLayers && seed == c.seed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(targetSparsity, totalIterations, deltaT, rampEndFraction, updateEndFraction, schedule,
                budget, regrowth, alpha, rankLoss, layers, unsupportedLayers, seed);
    }

    @Override
    public String toString() {
        return "PruningConfig{targetSparsity=" + targetSparsity + ", totalIterations=" + totalIterations
                + ", deltaT=" + deltaT + ", rampEnd=" + rampEndFraction + ", updateEnd=" + updateEndFraction
                + ", schedule=" + schedule + ", budget=" + budget + ", regrowth=" + regrowth + ", alpha=" + alpha
                + ", " + rankLoss + ", " + layers + ", unsupportedLayers=" + unsupportedLayers + ", seed=" + seed
                + "}";
    }

    /** Fluent builder; {@link #build()} validates. */
    public static final class Builder {
        private final double targetSparsity;
        private long totalIterations = -1;
        private int deltaT = 100;
        private double rampEndFraction = 0.9;
        private double updateEndFraction = 0.901;
        private ScheduleKind schedule = ScheduleKind.EXPONENTIAL;
        private LayerBudget budget = LayerBudget.GLOBAL;
        private RegrowthKind regrowth = RegrowthKind.GRADIENT;
        private double alpha = 0.3;
        private RankLoss rankLoss = RankLoss.lambda(0.5).partialK(0.1);
        private LayerSelection layers = LayerSelection.all();
        private UnsupportedLayerPolicy unsupportedLayers = UnsupportedLayerPolicy.LENIENT;
        private long seed = 42;

        private Builder(double targetSparsity) {
            this.targetSparsity = targetSparsity;
        }

        /**
         * @param totalIterations training iterations of the whole run ({@code epochs * iterationsPerEpoch}),
         *     {@code >= deltaT}
         * @return this builder
         */
        public Builder totalIterations(long totalIterations) {
            this.totalIterations = totalIterations;
            return this;
        }

        /**
         * @param deltaT iterations between topology updates, {@code >= 1}
         * @return this builder
         */
        public Builder deltaT(int deltaT) {
            this.deltaT = deltaT;
            return this;
        }

        /**
         * @param fraction fraction of training at which the density ramp ends, in (0, 1]
         * @return this builder
         */
        public Builder rampEndFraction(double fraction) {
            this.rampEndFraction = fraction;
            return this;
        }

        /**
         * @param fraction fraction of training after which topology updates stop ({@code tEnd}), in (0, 1]
         * @return this builder
         */
        public Builder updateEndFraction(double fraction) {
            this.updateEndFraction = fraction;
            return this;
        }

        /**
         * @param schedule shape of the density ramp
         * @return this builder
         */
        public Builder schedule(ScheduleKind schedule) {
            this.schedule = schedule;
            return this;
        }

        /**
         * @param budget how the global density is shared between layers
         * @return this builder
         */
        public Builder budget(LayerBudget budget) {
            this.budget = budget;
            return this;
        }

        /**
         * @param regrowth how dropped connections are regrown
         * @return this builder
         */
        public Builder regrowth(RegrowthKind regrowth) {
            this.regrowth = regrowth;
            return this;
        }

        /**
         * @param alpha initial drop fraction of the cosine decay, in [0, 1]
         * @return this builder
         */
        public Builder alpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /**
         * @param rankLoss rank-loss settings; {@link RankLoss#none()} switches it off
         * @return this builder
         */
        public Builder rankLoss(RankLoss rankLoss) {
            this.rankLoss = rankLoss;
            return this;
        }

        /**
         * @param layers which layers are pruned and their caps
         * @return this builder
         */
        public Builder layers(LayerSelection layers) {
            this.layers = layers;
            return this;
        }

        /**
         * @param policy what to do with layers rpg4j cannot prune
         * @return this builder
         */
        public Builder unsupportedLayers(UnsupportedLayerPolicy policy) {
            this.unsupportedLayers = policy;
            return this;
        }

        /**
         * @param seed seed of every random choice (random regrowth)
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @return the validated configuration
         * @throws IllegalArgumentException naming the first invalid value and what is allowed
         * @throws IllegalStateException if {@link #totalIterations(long)} was not called
         */
        public PruningConfig build() {
            Checks.inHalfOpenRange("targetSparsity", targetSparsity, 0.0, 1.0);
            if (totalIterations == -1) {
                throw new IllegalStateException("totalIterations must be set: call totalIterations(epochs * "
                        + "iterationsPerEpoch) before build()");
            }
            Checks.atLeast("deltaT", deltaT, 1);
            if (totalIterations < deltaT) {
                throw new IllegalArgumentException("totalIterations must be >= deltaT (" + deltaT + "), got "
                        + totalIterations);
            }
            checkFraction("rampEndFraction", rampEndFraction);
            checkFraction("updateEndFraction", updateEndFraction);
            if (updateEndFraction < rampEndFraction) {
                throw new IllegalArgumentException("updateEndFraction must be >= rampEndFraction (" + rampEndFraction
                        + "), got " + updateEndFraction);
            }
            Checks.notNull("schedule", schedule);
            Checks.notNull("budget", budget);
            Checks.notNull("regrowth", regrowth);
            Checks.inClosedRange("alpha", alpha, 0.0, 1.0);
            Checks.notNull("rankLoss", rankLoss);
            Checks.notNull("layers", layers);
            Checks.notNull("unsupportedLayers", unsupportedLayers);
            PruningConfig config = new PruningConfig(this);
            config.pruningSchedule();
            return config;
        }

        private static void checkFraction(String name, double value) {
            if (!(value > 0 && value <= 1)) {
                throw new IllegalArgumentException(name + " must be in (0, 1], got " + value);
            }
        }
    }
}
