package org.rpg4j.schedule;

/**
 * The built-in density curves. With {@code r} the 0-based update index, {@code R >= 1} the ramp
 * length in updates and {@code D} the target density, every ramped curve starts at density 1 at
 * {@code r = 0} (the first update prunes nothing, as in the reference) and returns exactly
 * {@code D} for {@code r >= R}.
 */
public enum ScheduleKind implements DensityCurve {
    /**
     * The RPG reference ({@code math_policies.exponential}): {@code pow(pow(D, 1.0 / R), r)} for
     * {@code r < R}, else {@code D}: geometric decay of density, each update removing the same
     * fraction {@code 1 - D^(1/R)} of the remaining weights.
     */
    EXPONENTIAL {
        @Override
        public double densityAtUpdate(int updateIndex, int rampUpdates, double targetDensity) {
            check(updateIndex, rampUpdates, targetDensity);
            if (updateIndex >= rampUpdates) {
                return targetDensity;
            }
            double factor = Math.pow(targetDensity, 1.0 / rampUpdates);
            return Math.pow(factor, updateIndex);
        }
    },
    /**
     * Zhu &amp; Gupta (2017) cubic sparsity ramp with initial sparsity 0:
     * {@code s = s_f + (0 - s_f) * (1 - r/R)^3}, {@code s_f = 1 - D}, density {@code 1 - s} for
     * {@code r < R}, else {@code D}.
     */
    CUBIC {
        @Override
        public double densityAtUpdate(int updateIndex, int rampUpdates, double targetDensity) {
            check(updateIndex, rampUpdates, targetDensity);
            if (updateIndex >= rampUpdates) {
                return targetDensity;
            }
            double finalSparsity = 1.0 - targetDensity;
            double remaining = 1.0 - (double) updateIndex / rampUpdates;
            double sparsity = finalSparsity + (0.0 - finalSparsity) * remaining * remaining * remaining;
            return 1.0 - sparsity;
        }
    },
    /** Density falls linearly: {@code 1 - (1 - D) * r / R} for {@code r < R}, else {@code D}. */
    LINEAR {
        @Override
        public double densityAtUpdate(int updateIndex, int rampUpdates, double targetDensity) {
            check(updateIndex, rampUpdates, targetDensity);
            if (updateIndex >= rampUpdates) {
                return targetDensity;
            }
            return 1.0 - (1.0 - targetDensity) * updateIndex / rampUpdates;
        }
    },
    /**
     * Density {@code D} from the start ({@link #initialDensity} is {@code D}: the model is pruned
     * before training) and at every update: static-sparsity drop-and-grow, as RigL.
     */
    CONSTANT {
        @Override
        public double densityAtUpdate(int updateIndex, int rampUpdates, double targetDensity) {
            check(updateIndex, rampUpdates, targetDensity);
            return targetDensity;
        }

        @Override
        public double initialDensity(double targetDensity) {
            check(0, 1, targetDensity);
            return targetDensity;
        }
    },
    /**
     * Dense until update 1, which prunes to {@code D} in one step: density 1 at {@code r = 0},
     * {@code D} for {@code r >= 1}. Update 1 is the first update at which every ramped curve prunes
     * (update 0 prunes nothing by the reference convention), so one-shot and gradual pruning start
     * at the same iteration; {@code R} is ignored.
     */
    ONE_SHOT {
        @Override
        public double densityAtUpdate(int updateIndex, int rampUpdates, double targetDensity) {
            check(updateIndex, rampUpdates, targetDensity);
            return updateIndex == 0 ? 1.0 : targetDensity;
        }
    };

    /** @return this curve */
    public DensityCurve curve() {
        return this;
    }

    static void check(int updateIndex, int rampUpdates, double targetDensity) {
        if (updateIndex < 0) {
            throw new IllegalArgumentException("updateIndex must be >= 0, got " + updateIndex);
        }
        if (rampUpdates < 1) {
            throw new IllegalArgumentException("rampUpdates must be >= 1, got " + rampUpdates);
        }
        if (!(targetDensity > 0.0 && targetDensity <= 1.0)) {
            throw new IllegalArgumentException("targetDensity must be in (0, 1], got " + targetDensity);
        }
    }
}
