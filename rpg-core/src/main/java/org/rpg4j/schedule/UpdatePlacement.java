package org.rpg4j.schedule;

/**
 * Where the topology updates fall relative to the density ramp: rpg4j's default, which always
 * reaches the target density, or exactly the reference's. The two differ only when the reference's
 * last update before {@code tEnd} comes before the end of its ramp (few updates, or the CIFAR
 * recipe with both fractions 0.8); then the reference ends at density {@code D^((R-1)/R)} instead
 * of {@code D}.
 */
public enum UpdatePlacement {
    /** {@link UpdateCadence#reachingTarget}: the ramp is shortened so that the last update prunes to the target. */
    REACHING_TARGET {
        @Override
        public UpdateCadence cadence(long totalIterations, int deltaT, double rampEndFraction, double tEndFraction) {
            return UpdateCadence.reachingTarget(totalIterations, deltaT, rampEndFraction, tEndFraction);
        }
    },
    /** {@link UpdateCadence#reference}: the reference's ramp and {@code tEnd}, unchanged. */
    REFERENCE {
        @Override
        public UpdateCadence cadence(long totalIterations, int deltaT, double rampEndFraction, double tEndFraction) {
            return UpdateCadence.reference(totalIterations, deltaT, rampEndFraction, tEndFraction);
        }
    };

    /**
     * @param totalIterations training iterations {@code T}, {@code >= deltaT}
     * @param deltaT iterations between updates, {@code >= 1}
     * @param rampEndFraction fraction of training at which the ramp ends, in (0, 1]
     * @param tEndFraction fraction of training after which updates stop, in (0, 1]
     * @return the cadence this placement builds
     * @throws IllegalArgumentException as {@link UpdateCadence#reference} and {@link UpdateCadence#reachingTarget}
     */
    public abstract UpdateCadence cadence(long totalIterations, int deltaT, double rampEndFraction,
                                          double tEndFraction);

    /** @return the minimum number of updates before {@code tEnd}: 2 when reaching the target (update 0 prunes nothing), else 1 */
    public int minimumUpdates() {
        return this == REACHING_TARGET ? 2 : 1;
    }
}
