package org.rpg4j.schedule;

import java.util.Locale;
import java.util.Objects;

/**
 * The scheduled global density over training (immutable value): a {@link DensityCurve}, the
 * target density {@code D} and an {@link UpdateCadence}. Update {@code r} prunes to
 * {@code curve.densityAtUpdate(r, cadence.rampUpdates(), D)}; before the first update the density
 * is {@code curve.initialDensity(D)}.
 *
 * <p>This is the scheduled density. The density a topology update actually leaves can be slightly
 * higher or lower: the global threshold keeps {@code N - kk + 1} weights and the per-layer
 * regrowth arithmetic of the reference truncates (see {@code org.rpg4j.regrow.RegrowthQuota}).
 */
public final class PruningSchedule {
    private final DensityCurve curve;
    private final double targetDensity;
    private final UpdateCadence cadence;

    /**
     * @param curve density at each update; a {@link ScheduleKind} or a user curve
     * @param targetDensity final density {@code D = 1 - targetSparsity}, in (0, 1]
     * @param cadence when updates run and how long the ramp is
     * @throws IllegalArgumentException if an argument is null, {@code targetDensity} is outside
     *     (0, 1], or the curve's initial density is outside (0, 1]
     */
    public PruningSchedule(DensityCurve curve, double targetDensity, UpdateCadence cadence) {
        if (curve == null) {
            throw new IllegalArgumentException("curve must not be null (for example ScheduleKind.EXPONENTIAL)");
        }
        if (!(targetDensity > 0.0 && targetDensity <= 1.0)) {
            throw new IllegalArgumentException("targetDensity must be in (0, 1], got " + targetDensity);
        }
        if (cadence == null) {
            throw new IllegalArgumentException("cadence must not be null (for example UpdateCadence.reachingTarget)");
        }
        this.curve = curve;
        this.targetDensity = targetDensity;
        this.cadence = cadence;
        checkDensity("initialDensity", curve.initialDensity(targetDensity));
    }

    /**
     * @param iteration 0-based iteration, {@code >= -1} (-1: before training)
     * @return the scheduled global density in effect once this iteration has completed (including
     *     an update at its end); {@link DensityCurve#initialDensity} before the first update
     * @throws IllegalArgumentException if {@code iteration < -1}
     */
    public double density(long iteration) {
        int completed = cadence.completedUpdates(iteration);
        return completed == 0 ? checkDensity("initialDensity", curve.initialDensity(targetDensity))
                : densityAtUpdate(completed - 1);
    }

    /**
     * @param iteration 0-based iteration, {@code >= 0}
     * @return true when a topology update runs at the end of it
     */
    public boolean isUpdateIteration(long iteration) {
        return cadence.isUpdateIteration(iteration);
    }

    /**
     * @param updateIndex 0-based update index {@code r >= 0}
     * @return the global density update {@code r} prunes to, in (0, 1]
     * @throws IllegalArgumentException if {@code updateIndex < 0}
     * @throws IllegalStateException if a user curve returns a value outside (0, 1]
     */
    public double densityAtUpdate(int updateIndex) {
        if (updateIndex < 0) {
            throw new IllegalArgumentException("updateIndex must be >= 0, got " + updateIndex);
        }
        return checkDensity("densityAtUpdate(" + updateIndex + ")",
                curve.densityAtUpdate(updateIndex, cadence.rampUpdates(), targetDensity));
    }

    /**
     * @param updateIndex 0-based update index {@code r >= 0}
     * @return true when update {@code r} prunes to exactly the target density (from the first such
     *     update on, the reference stops re-thresholding: later updates only drop and regrow)
     */
    public boolean reachesTargetAt(int updateIndex) {
        return densityAtUpdate(updateIndex) == targetDensity;
    }

    /**
     * @return the shape of the density ramp
     */
    public DensityCurve curve() {
        return curve;
    }

    /**
     * @return the density at the end of the ramp, {@code 1 - targetSparsity}
     */
    public double targetDensity() {
        return targetDensity;
    }

    /**
     * @return when updates run
     */
    public UpdateCadence cadence() {
        return cadence;
    }

    private double checkDensity(String what, double density) {
        if (!(density > 0.0 && density <= 1.0)) {
            throw new IllegalStateException("curve " + curve + " returned " + what + " = " + density
                    + ", outside (0, 1]");
        }
        return density;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PruningSchedule s && curve.equals(s.curve)
                && Double.compare(targetDensity, s.targetDensity) == 0 && cadence.equals(s.cadence);
    }

    @Override
    public int hashCode() {
        return Objects.hash(curve, targetDensity, cadence);
    }

    @Override
    public String toString() {
        int last = cadence.lastUpdateIndex();
        int first = -1;
        for (int r = 0; r <= last && first < 0; r++) {
            first = reachesTargetAt(r) ? r : -1;
        }
        return String.format(Locale.ROOT, "PruningSchedule{curve=%s, targetDensity=%s, deltaT=%d, rampUpdates=%d, "
                + "tEnd=%d, updates 0..%d at iterations %d..%d, %s}", curve, targetDensity, cadence.deltaT(),
                cadence.rampUpdates(), cadence.tEnd(), last, cadence.iterationOfUpdate(0),
                cadence.iterationOfUpdate(last), first < 0 ? "never reaches the target density"
                        : "reaches the target density at update " + first);
    }
}
