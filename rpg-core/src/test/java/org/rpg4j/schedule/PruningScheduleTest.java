package org.rpg4j.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PruningScheduleTest {
    private static final double EXACT = 0.0;

    @Test
    void densityOverIterationsFollowsTheUpdates() {
        // deltaT 10, R 9, tEnd 90 (the reference vectors): density 1 until update 1 at iteration 19
        PruningSchedule s = new PruningSchedule(ScheduleKind.EXPONENTIAL, 0.1, new UpdateCadence(10, 9, 90));
        assertEquals(1.0, s.density(-1), EXACT);
        assertEquals(1.0, s.density(9), EXACT, "update 0 prunes nothing");
        assertEquals(1.0, s.density(18), EXACT);
        assertEquals(0.7742636826811271, s.density(19), EXACT);
        assertEquals(0.16681005372000596, s.density(79), EXACT);
        assertEquals(0.16681005372000596, s.density(10_000), EXACT, "reference cadence never reaches D");
        assertTrue(s.isUpdateIteration(79));
        assertFalse(s.reachesTargetAt(7));
        assertTrue(s.reachesTargetAt(9));
        assertTrue(s.toString().contains("never reaches"), s.toString());
    }

    @Test
    void reachingTargetCadencesEndExactlyAtTheTargetForEveryCurve() {
        SplittableRandom rnd = new SplittableRandom(43);
        for (int trial = 0; trial < 300; trial++) {
            int deltaT = 1 + rnd.nextInt(100);
            long total = deltaT * (3L + rnd.nextInt(300));
            double target = 0.001 + 0.999 * rnd.nextDouble();
            UpdateCadence c = UpdateCadence.reachingTarget(total, deltaT, 0.5 + 0.5 * rnd.nextDouble(), 1.0);
            for (ScheduleKind kind : ScheduleKind.values()) {
                PruningSchedule s = new PruningSchedule(kind, target, c);
                int last = c.lastUpdateIndex();
                assertEquals(target, s.densityAtUpdate(last), EXACT, kind + " " + c);
                assertEquals(target, s.density(c.iterationOfUpdate(last)), EXACT);
                assertTrue(s.reachesTargetAt(last));
                assertEquals(kind == ScheduleKind.CONSTANT ? target : 1.0, s.density(-1), EXACT);
                double previous = s.density(-1);
                for (long it = 0; it < total; it += 1 + total / 50) {
                    double d = s.density(it);
                    assertTrue(d <= previous, kind + " density rose at iteration " + it);
                    previous = d;
                }
            }
        }
    }

    @Test
    void userCurvesArePluggableAndChecked() {
        DensityCurve halfway = (r, ramp, d) -> r < ramp ? 0.5 : d;
        PruningSchedule s = new PruningSchedule(halfway, 0.2, new UpdateCadence(10, 3, 100));
        assertEquals(0.5, s.densityAtUpdate(0), EXACT);
        assertEquals(0.2, s.densityAtUpdate(3), EXACT);
        DensityCurve broken = (r, ramp, d) -> r == 2 ? 1.5 : d;
        PruningSchedule b = new PruningSchedule(broken, 0.2, new UpdateCadence(10, 3, 100));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.densityAtUpdate(2));
        assertTrue(e.getMessage().contains("1.5") && e.getMessage().contains("(0, 1]"), e.getMessage());
    }

    @Test
    void isAValue() {
        UpdateCadence c = new UpdateCadence(10, 9, 90);
        assertEquals(new PruningSchedule(ScheduleKind.CUBIC, 0.1, c), new PruningSchedule(ScheduleKind.CUBIC, 0.1, c));
        assertEquals(new PruningSchedule(ScheduleKind.CUBIC, 0.1, c).hashCode(),
                new PruningSchedule(ScheduleKind.CUBIC, 0.1, c).hashCode());
        assertNotEquals(new PruningSchedule(ScheduleKind.CUBIC, 0.1, c),
                new PruningSchedule(ScheduleKind.LINEAR, 0.1, c));
        String text = new PruningSchedule(ScheduleKind.LINEAR, 0.1, new UpdateCadence(10, 5, 90)).toString();
        assertTrue(text.contains("LINEAR") && text.contains("reaches the target density at update 5"), text);
    }

    @Test
    void rejectsBadSchedules() {
        UpdateCadence c = new UpdateCadence(10, 9, 90);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PruningSchedule(ScheduleKind.EXPONENTIAL, 0.0, c));
        assertTrue(e.getMessage().contains("targetDensity must be in (0, 1], got 0.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new PruningSchedule(ScheduleKind.EXPONENTIAL, 1.1, c));
        assertTrue(e.getMessage().contains("got 1.1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new PruningSchedule(null, 0.1, c));
        assertTrue(e.getMessage().contains("curve"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new PruningSchedule(ScheduleKind.CUBIC, 0.1, null));
        assertTrue(e.getMessage().contains("cadence"), e.getMessage());
        PruningSchedule s = new PruningSchedule(ScheduleKind.CUBIC, 0.1, c);
        e = assertThrows(IllegalArgumentException.class, () -> s.density(-2));
        assertTrue(e.getMessage().contains("iteration must be >= -1, got -2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> s.densityAtUpdate(-1));
        assertTrue(e.getMessage().contains("updateIndex must be >= 0, got -1"), e.getMessage());
    }
}
