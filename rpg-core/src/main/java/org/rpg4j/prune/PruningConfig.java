package org.rpg4j.prune;

import java.util.Objects;
import org.rpg4j.mask.LayerBudget;
import org.rpg4j.regrow.RegrowthKind;
import org.rpg4j.schedule.CosineDropFraction;
import org.rpg4j.schedule.PruningSchedule;
import org.rpg4j.schedule.ScheduleKind;
import org.rpg4j.schedule.UpdateCadence;
import org.rpg4j.schedule.UpdatePlacement;

/**
 * Everything that defines a pruning run (immutable), with the schedule it derives. Built with
 * {@code PruningConfig.builder(targetSparsity, totalIterations)...build()}: the two required values
 * are the builder's arguments, every value is validated once in {@link Builder#build()}, and the
 * derived update cadence, density schedule and drop-fraction decay are built there and kept.
 *
 * <p>Defaults ({@link PruningDefaults}) follow the reference recipe: {@code deltaT = 100}, density
 * ramp ending at 90 % of training, topology updates until 90.1 %, placed so that the target is
 * reached ({@link UpdatePlacement#REACHING_TARGET}), exponential density schedule, global magnitude
 * budget, gradient regrowth with drop fraction {@code alpha = 0.3}, rank loss {@code lambda = 0.5},
 * {@code partialK = 0.1} in reference mode, seed 42. Invalid values throw a
 * {@link PruningConfigException} that names the builder's settings and says what to change. JSON
 * round trip: {@link #toJson()} and {@link #fromJson(String)}.
 *
 * <p>Skipped optimizer steps: a topology update that regrows ({@link #skipsStepAtUpdates()}) takes
 * the place of its iteration's optimizer step, as in the reference: rpg4j's DL4J seams put the
 * parameters and updater state back after that step. Over a run that is {@link #skippedSteps()} of
 * {@code totalIterations} steps, about {@code updateEndFraction / deltaT} of them. {@link Builder#build()}
 * refuses more than {@link #MAX_SKIPPED_STEP_FRACTION} (with the default fractions, {@code deltaT = 1}:
 * the network would not train while it is pruned), and {@code Dl4jPruning.attach} logs a warning
 * above {@link #WARN_SKIPPED_STEP_FRACTION} ({@code deltaT} below 10). One configuration serves every
 * engine, so the rule applies to rpg-spark too, whose updates run between averaging rounds.
 */
public final class PruningConfig {
    /**
     * {@link Builder#build()} refuses a configuration whose topology updates skip more than this
     * fraction of its {@code totalIterations} optimizer steps ({@link #skippedStepFraction()}).
     */
    public static final double MAX_SKIPPED_STEP_FRACTION = 0.5;
    /** Above this fraction of skipped optimizer steps, rpg4j's DL4J seams log a warning when they attach. */
    public static final double WARN_SKIPPED_STEP_FRACTION = 0.1;

    private final double targetSparsity;
    private final long totalIterations;
    private final int deltaT;
    private final double rampEndFraction;
    private final double updateEndFraction;
    private final UpdatePlacement updatePlacement;
    private final ScheduleKind schedule;
    private final LayerBudget budget;
    private final RegrowthKind regrowth;
    private final double alpha;
    private final RankLoss rankLoss;
    private final LayerSelection layers;
    private final UnsupportedLayerPolicy unsupportedLayers;
    private final long seed;
    private final PruningSchedule pruningSchedule;
    private final CosineDropFraction dropFraction;
    private final int firstUpdateAtTarget;

    private PruningConfig(Builder b) {
        this.targetSparsity = b.targetSparsity;
        this.totalIterations = b.totalIterations;
        this.deltaT = b.deltaT;
        this.rampEndFraction = b.rampEndFraction;
        this.updateEndFraction = b.updateEndFraction;
        this.updatePlacement = b.updatePlacement;
        this.schedule = b.schedule;
        this.budget = b.budget;
        this.regrowth = b.regrowth;
        this.alpha = b.alpha;
        this.rankLoss = b.rankLoss;
        this.layers = b.layers;
        this.unsupportedLayers = b.unsupportedLayers;
        this.seed = b.seed;
        UpdateCadence cadence = updatePlacement.cadence(totalIterations, deltaT, rampEndFraction, updateEndFraction);
        this.pruningSchedule = new PruningSchedule(schedule.curve(), 1.0 - targetSparsity, cadence);
        this.dropFraction = new CosineDropFraction(alpha, cadence.tEnd());
        this.firstUpdateAtTarget = firstUpdateAtTarget(pruningSchedule);
    }

    /**
     * @param targetSparsity the final fraction of zeros over all prunable weights, in [0, 1)
     * @param totalIterations training iterations of the whole run ({@code epochs * iterationsPerEpoch}),
     *     {@code >= deltaT}
     * @return a builder with every other setting at its default; {@link Builder#build()} validates
     */
    public static Builder builder(double targetSparsity, long totalIterations) {
        return new Builder(targetSparsity, totalIterations);
    }

    /** @return a builder holding this configuration's values */
    public Builder toBuilder() {
        return new Builder(targetSparsity, totalIterations).deltaT(deltaT).rampEndFraction(rampEndFraction)
                .updateEndFraction(updateEndFraction).updatePlacement(updatePlacement).schedule(schedule)
                .budget(budget).regrowth(regrowth).alpha(alpha).rankLoss(rankLoss).layers(layers)
                .unsupportedLayers(unsupportedLayers).seed(seed);
    }

    /** @return the update cadence (built once, by {@link Builder#build()}) */
    public UpdateCadence cadence() {
        return pruningSchedule.cadence();
    }

    /** @return the density schedule over iterations (built once, by {@link Builder#build()}) */
    public PruningSchedule pruningSchedule() {
        return pruningSchedule;
    }

    /** @return the cosine-decayed drop fraction over iterations (built once, by {@link Builder#build()}) */
    public CosineDropFraction dropFraction() {
        return dropFraction;
    }

    /**
     * @return whether a topology update takes the place of its iteration's optimizer step, as in the
     *     reference: when it regrows ({@link #regrowth()} not {@link RegrowthKind#NONE} and
     *     {@link #alpha()} above 0), that iteration's gradient only scores the regrowth
     */
    public boolean skipsStepAtUpdates() {
        return SkippedStepCheck.skipsStep(regrowth, alpha);
    }

    /**
     * @return how many of the run's {@code totalIterations} optimizer steps the topology updates skip:
     *     the number of updates ({@code (tEnd - 1) / deltaT}) if {@link #skipsStepAtUpdates()}, else 0
     */
    public long skippedSteps() {
        return skipsStepAtUpdates() ? cadence().lastUpdateIndex() + 1L : 0L;
    }

    /** @return {@link #skippedSteps()} over {@code totalIterations}, in [0, {@link #MAX_SKIPPED_STEP_FRACTION}] */
    public double skippedStepFraction() {
        return skippedSteps() / (double) totalIterations;
    }

    /**
     * @return the first 0-based update index that prunes to exactly the target density (from then
     *     on updates only drop and regrow), or {@link Integer#MAX_VALUE} if no update before
     *     {@code tEnd} does ({@link UpdatePlacement#REFERENCE} with few updates)
     */
    public int firstUpdateAtTarget() {
        return firstUpdateAtTarget;
    }

    /** @return the final fraction of zeros over all prunable weights, in [0, 1) */
    public double targetSparsity() {
        return targetSparsity;
    }

    /** @return training iterations of the whole run */
    public long totalIterations() {
        return totalIterations;
    }

    /** @return iterations between topology updates */
    public int deltaT() {
        return deltaT;
    }

    /** @return fraction of training at which the density ramp ends */
    public double rampEndFraction() {
        return rampEndFraction;
    }

    /** @return fraction of training after which topology updates stop */
    public double updateEndFraction() {
        return updateEndFraction;
    }

    /** @return where the updates fall relative to the ramp */
    public UpdatePlacement updatePlacement() {
        return updatePlacement;
    }

    /** @return shape of the density ramp */
    public ScheduleKind schedule() {
        return schedule;
    }

    /** @return how the global density is shared between layers */
    public LayerBudget budget() {
        return budget;
    }

    /** @return how dropped connections are regrown */
    public RegrowthKind regrowth() {
        return regrowth;
    }

    /** @return initial drop fraction of the cosine decay */
    public double alpha() {
        return alpha;
    }

    /** @return rank-loss settings */
    public RankLoss rankLoss() {
        return rankLoss;
    }

    /** @return which layers are pruned and their caps */
    public LayerSelection layers() {
        return layers;
    }

    /** @return what to do with layers the adapter cannot prune */
    public UnsupportedLayerPolicy unsupportedLayers() {
        return unsupportedLayers;
    }

    /** @return seed of every random choice */
    public long seed() {
        return seed;
    }

    /** @return this configuration as a JSON object */
    public String toJson() {
        return PruningConfigJson.write(this);
    }

    /**
     * @param json a document written by {@link #toJson()} (or by an earlier rpg4j, format 1)
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
                && Double.compare(updateEndFraction, c.updateEndFraction) == 0
                && updatePlacement == c.updatePlacement && schedule == c.schedule
                && budget == c.budget && regrowth == c.regrowth && Double.compare(alpha, c.alpha) == 0
                && rankLoss.equals(c.rankLoss) && layers.equals(c.layers)
                && unsupportedLayers == c.unsupportedLayers && seed == c.seed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(targetSparsity, totalIterations, deltaT, rampEndFraction, updateEndFraction,
                updatePlacement, schedule, budget, regrowth, alpha, rankLoss, layers, unsupportedLayers, seed);
    }

    @Override
    public String toString() {
        return "PruningConfig{targetSparsity=" + targetSparsity + ", totalIterations=" + totalIterations
                + ", deltaT=" + deltaT + ", rampEnd=" + rampEndFraction + ", updateEnd=" + updateEndFraction
                + ", updatePlacement=" + updatePlacement + ", schedule=" + schedule + ", budget=" + budget
                + ", regrowth=" + regrowth + ", alpha=" + alpha + ", " + rankLoss + ", " + layers
                + ", unsupportedLayers=" + unsupportedLayers + ", seed=" + seed + "}";
    }

    private static int firstUpdateAtTarget(PruningSchedule schedule) {
        int last = schedule.cadence().lastUpdateIndex();
        for (int r = 0; r <= last; r++) {
            if (schedule.reachesTargetAt(r)) {
                return r;
            }
        }
        return Integer.MAX_VALUE;
    }

    /** Fluent builder of the optional settings; {@link #build()} validates them all. */
    public static final class Builder {
        private final double targetSparsity;
        private final long totalIterations;
        private int deltaT = PruningDefaults.DELTA_T;
        private double rampEndFraction = PruningDefaults.RAMP_END_FRACTION;
        private double updateEndFraction = PruningDefaults.UPDATE_END_FRACTION;
        private UpdatePlacement updatePlacement = PruningDefaults.UPDATE_PLACEMENT;
        private ScheduleKind schedule = PruningDefaults.SCHEDULE;
        private LayerBudget budget = PruningDefaults.BUDGET;
        private RegrowthKind regrowth = PruningDefaults.REGROWTH;
        private double alpha = PruningDefaults.ALPHA;
        private RankLoss rankLoss = RankLoss.lambda(PruningDefaults.LAMBDA);
        private LayerSelection layers = LayerSelection.all();
        private UnsupportedLayerPolicy unsupportedLayers = PruningDefaults.UNSUPPORTED_LAYERS;
        private long seed = PruningDefaults.SEED;

        private Builder(double targetSparsity, long totalIterations) {
            this.targetSparsity = targetSparsity;
            this.totalIterations = totalIterations;
        }

        /**
         * With regrowth, each topology update skips its iteration's optimizer step: {@link #build()}
         * refuses a {@code deltaT} that skips more than half of the iterations (1, with the default
         * fractions), and {@code Dl4jPruning.attach} warns above 10 % (below 10).
         *
         * @param deltaT iterations between topology updates, {@code >= 1} and {@code <= totalIterations}
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
         * @param placement where the updates fall relative to the ramp (rpg4j's or the reference's)
         * @return this builder
         */
        public Builder updatePlacement(UpdatePlacement placement) {
            this.updatePlacement = placement;
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
         * Validates every setting once and derives the schedule.
         *
         * @return the validated configuration
         * @throws PruningConfigException naming the first invalid setting, its value, what is
         *     allowed and what to change; among them a {@code deltaT} whose updates skip more than
         *     {@link PruningConfig#MAX_SKIPPED_STEP_FRACTION} of the optimizer steps
         */
        public PruningConfig build() {
            Checks.inHalfOpenRange("targetSparsity", targetSparsity, 0.0, 1.0);
            Checks.notNull("updatePlacement", updatePlacement);
            CadenceChecks.check(totalIterations, deltaT, rampEndFraction, updateEndFraction, updatePlacement);
            Checks.notNull("schedule", schedule);
            Checks.notNull("budget", budget);
            Checks.notNull("regrowth", regrowth);
            Checks.inClosedRange("alpha", alpha, 0.0, 1.0);
            Checks.notNull("rankLoss", rankLoss);
            Checks.notNull("layers", layers);
            Checks.notNull("unsupportedLayers", unsupportedLayers);
            PruningConfig config = new PruningConfig(this);
            SkippedStepCheck.check(config);
            return config;
        }
    }
}
