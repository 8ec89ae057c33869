package org.rpg4j.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link DensityCurve}, as tests that any implementation can run: extend this class
 * in a JUnit 5 test and return your curve from {@link #curve()}. rpg4j runs it against every
 * {@link ScheduleKind}.
 *
 * <p>The checks, over seeded random ramp lengths {@code R} in [1, 3000] and target densities
 * {@code D} in (0, 1] (including 1 and tiny ones), for every update index up to {@code R + 3}:
 * densities are finite and in (0, 1]; {@code D} exactly for {@code r >= R}; never increasing
 * from {@link DensityCurve#initialDensity(double)} on; the same value for the same arguments; and
 * a {@link PruningSchedule} built on the curve reaches its target at update {@code R}.
 *
 * <p>Get it with the test-jar of rpg-core:
 *
 * <pre>{@code
 * <dependency>
 *   <groupId>org.rpg4j</groupId>
 *   <artifactId>rpg-core</artifactId>
 *   <version>${rpg4j.version}</version>
 *   <type>test-jar</type>
 *   <scope>test</scope>
 * </dependency>
 * }</pre>
 */
public abstract class DensityCurveChecks {
    /** Densities at and after the ramp end are compared bit for bit. */
    private static final double EXACT = 0.0;
    private static final int TRIALS = 300;

    /** @return the curve under test (called once per test) */
    protected abstract DensityCurve curve();

    /** Every density is finite and in (0, 1], the initial one included. */
    @Test
    public void densitiesAreInTheUnitInterval() {
        DensityCurve curve = curve();
        forEachCase((ramp, target) -> {
            double initial = curve.initialDensity(target);
            assertTrue(initial > 0 && initial <= 1.0, "initialDensity(" + target + ") = " + initial);
            for (int r = 0; r <= ramp + 3; r++) {
                double d = curve.densityAtUpdate(r, ramp, target);
                assertTrue(d > 0 && d <= 1.0, "densityAtUpdate(" + r + ", " + ramp + ", " + target + ") = " + d
                        + ", must be in (0, 1]");
            }
        });
    }

    /** The target density exactly (not to rounding) at and after update {@code R}. */
    @Test
    public void targetIsReachedExactlyAtTheRampEnd() {
        DensityCurve curve = curve();
        forEachCase((ramp, target) -> {
            for (int r = ramp; r <= ramp + 3; r++) {
                assertEquals(target, curve.densityAtUpdate(r, ramp, target), EXACT,
                        "densityAtUpdate(" + r + ", " + ramp + ", " + target + ") must be the target exactly");
            }
        });
    }

    /** A magnitude prune cannot bring weights back: the density never increases. */
    @Test
    public void densityNeverIncreases() {
        DensityCurve curve = curve();
        forEachCase((ramp, target) -> {
            double previous = curve.initialDensity(target);
            for (int r = 0; r <= ramp + 3; r++) {
                double d = curve.densityAtUpdate(r, ramp, target);
                assertTrue(d <= previous, "density increased at update " + r + " (R=" + ramp + ", D=" + target
                        + "): " + previous + " -> " + d);
                previous = d;
            }
        });
    }

    /** A pure function: the same arguments give the same density, in any call order. */
    @Test
    public void sameArgumentsGiveTheSameDensity() {
        DensityCurve curve = curve();
        forEachCase((ramp, target) -> {
            double[] forward = new double[ramp + 2];
            for (int r = 0; r < forward.length; r++) {
                forward[r] = curve.densityAtUpdate(r, ramp, target);
            }
            for (int r = forward.length - 1; r >= 0; r--) {
                assertEquals(forward[r], curve.densityAtUpdate(r, ramp, target), EXACT,
                        "update " + r + " gave another density on a second call (R=" + ramp + ", D=" + target + ")");
            }
        });
    }

    /** The curve works inside a {@link PruningSchedule}: it reaches the target at update {@code R}. */
    @Test
    public void pruningScheduleReachesTheTarget() {
        DensityCurve curve = curve();
        // deltaT = 10, R = 4 ramp updates, tEnd = 100: updates at steps 10, 20, ..., 90
        UpdateCadence cadence = new UpdateCadence(10, 4, 100);
        for (double target : new double[] {0.5, 0.1, 0.01}) {
            PruningSchedule schedule = new PruningSchedule(curve, target, cadence);
            assertTrue(schedule.reachesTargetAt(4), "the schedule must reach " + target + " at update R = 4");
            assertEquals(target, schedule.densityAtUpdate(8), EXACT);
        }
    }

    private interface Case {
        void check(int ramp, double target);
    }

    private static void forEachCase(Case check) {
        SplittableRandom random = new SplittableRandom(20231);
        for (int trial = 0; trial < TRIALS; trial++) {
            int ramp = trial < 3 ? trial + 1 : 1 + random.nextInt(trial < TRIALS - 10 ? 40 : 3000);
            double target = switch (trial % 10) {
                case 0 -> 1.0;
                case 1 -> 1e-4;
                default -> 0.001 + 0.998 * random.nextDouble();
            };
            check.check(ramp, target);
        }
    }
}
