package org.rpg4j.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScheduleKindTest {
    /** Reference densities are compared bit for bit. */
    private static final double EXACT = 0.0;

    @Test
    void exponentialMatchesThePythonReferenceBitForBit() {
        // math_policies.exponential(r, 0.1, 9) evaluated by CPython (math.pow), r = 0..7, and r >= R
        double[] python = {1.0, 0.7742636826811271, 0.599484250318941, 0.464158883361278, 0.3593813663804628,
                0.27825594022071254, 0.21544346900318845, 0.16681005372000596};
        for (int r = 0; r < python.length; r++) {
            assertEquals(python[r], ScheduleKind.EXPONENTIAL.densityAtUpdate(r, 9, 0.1), EXACT, "r=" + r);
        }
        assertEquals(0.1, ScheduleKind.EXPONENTIAL.densityAtUpdate(9, 9, 0.1), EXACT);
        assertEquals(0.1, ScheduleKind.EXPONENTIAL.densityAtUpdate(50, 9, 0.1), EXACT);
    }

    @Test
    void cubicAndLinearHandComputed() {
        // CUBIC, D = 0.2, R = 4, r = 2: s_f = 0.8, s = 0.8 - 0.8 * (1 - 2/4)^3 = 0.8 - 0.1 = 0.7 -> density 0.3
        assertEquals(0.3, ScheduleKind.CUBIC.densityAtUpdate(2, 4, 0.2), 1e-15);
        // LINEAR, D = 0.2, R = 4, r = 1: 1 - 0.8 * 1/4 = 0.8
        assertEquals(0.8, ScheduleKind.LINEAR.densityAtUpdate(1, 4, 0.2), 1e-15);
        // ONE_SHOT: dense at update 0, D from update 1; CONSTANT: D everywhere, also initially
        assertEquals(1.0, ScheduleKind.ONE_SHOT.densityAtUpdate(0, 4, 0.2), EXACT);
        assertEquals(0.2, ScheduleKind.ONE_SHOT.densityAtUpdate(1, 4, 0.2), EXACT);
        assertEquals(0.2, ScheduleKind.CONSTANT.densityAtUpdate(0, 4, 0.2), EXACT);
        assertEquals(0.2, ScheduleKind.CONSTANT.initialDensity(0.2), EXACT);
        assertEquals(1.0, ScheduleKind.CUBIC.initialDensity(0.2), EXACT);
        assertSame(ScheduleKind.CUBIC, ScheduleKind.CUBIC.curve());
    }

    @Test
    void everyCurveIsMonotoneAndHitsItsEndPointsExactly() {
        SplittableRandom rnd = new SplittableRandom(31);
        for (int trial = 0; trial < 500; trial++) {
            int ramp = 1 + rnd.nextInt(trial < 470 ? 20 : 3000);
            double target = trial % 10 == 0 ? 1.0 : 0.001 + 0.999 * rnd.nextDouble();
            for (ScheduleKind kind : ScheduleKind.values()) {
                double previous = kind.initialDensity(target);
                for (int r = 0; r <= ramp + 2; r++) {
                    double d = kind.densityAtUpdate(r, ramp, target);
                    assertTrue(d > 0 && d <= 1.0, kind + " density " + d);
                    assertTrue(d <= previous, kind + " increased at r=" + r + ": " + previous + " -> " + d);
                    previous = d;
                }
                assertEquals(target, kind.densityAtUpdate(ramp, ramp, target), EXACT, kind + " at r = R");
                if (kind != ScheduleKind.CONSTANT) {
                    assertEquals(1.0, kind.densityAtUpdate(0, ramp, target), EXACT, kind + " at r = 0");
                }
            }
        }
    }

    @Test
    void rejectsBadCurveArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScheduleKind.EXPONENTIAL.densityAtUpdate(-1, 9, 0.1));
        assertTrue(e.getMessage().contains("updateIndex") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ScheduleKind.CUBIC.densityAtUpdate(0, 0, 0.1));
        assertTrue(e.getMessage().contains("rampUpdates") && e.getMessage().contains(">= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ScheduleKind.LINEAR.densityAtUpdate(0, 3, 0.0));
        assertTrue(e.getMessage().contains("targetDensity") && e.getMessage().contains("(0, 1]"), e.getMessage());
    }
}
