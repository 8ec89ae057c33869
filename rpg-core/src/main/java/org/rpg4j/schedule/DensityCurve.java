package org.rpg4j.schedule;

/**
 * The global density (fraction of prunable weights kept) at each topology update. Users may
 * implement it; the built-in curves are the constants of {@link ScheduleKind}.
 *
 * <p>Contract: a pure function of its arguments, returning a value in (0, 1]; it should return
 * {@code targetDensity} exactly for {@code updateIndex >= rampUpdates} (that is what
 * {@link PruningSchedule#reachesTargetAt(int)} tests), and should not increase with
 * {@code updateIndex} (a magnitude prune cannot bring pruned weights back; only regrowth can).
 */
public interface DensityCurve {
    /**
     * @param updateIndex 0-based index {@code r} of the topology update, {@code >= 0}
     * @param rampUpdates number {@code R >= 1} of updates in the density ramp
     * @param targetDensity final density {@code D} in (0, 1]
     * @return the global density the update prunes to, in (0, 1]
     */
    double densityAtUpdate(int updateIndex, int rampUpdates, double targetDensity);

    /**
     * @param targetDensity final density {@code D} in (0, 1]
     * @return the density before the first update (1.0: training starts dense)
     */
    default double initialDensity(double targetDensity) {
        return 1.0;
    }
}
