package org.rpg4j.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UpdateCadenceTest {

    @Test
    void imageNetRecipeMatchesTheReferenceNumbers() {
        // T = 100 epochs * 1251 = 125100; tEnd = int(0.901 T) = 112715; R = int(0.9 T) // 100 = 1125;
        // updates at steps 100 .. 112700: r = 0 .. 1126
        UpdateCadence c = UpdateCadence.reference(125_100, 100, 0.9, 0.901);
        assertEquals(112_715, c.tEnd());
        assertEquals(1125, c.rampUpdates());
        assertEquals(1126, c.lastUpdateIndex());
        assertTrue(c.reachesRampEnd());
        assertEquals(c, UpdateCadence.reachingTarget(125_100, 100, 0.9, 0.901), "nothing changes for ImageNet");
    }

    @Test
    void cifarRecipeNeverReachesTheTargetUnlessReachingTarget() {
        // 300 epochs of 391 iterations, both fractions 0.8: tEnd = 93840, R = 938, last update r = 937 < R
        UpdateCadence ref = UpdateCadence.reference(117_300, 100, 0.8, 0.8);
        assertEquals(93_840, ref.tEnd());
        assertEquals(938, ref.rampUpdates());
        assertEquals(937, ref.lastUpdateIndex());
        assertFalse(ref.reachesRampEnd());
        UpdateCadence fixed = UpdateCadence.reachingTarget(117_300, 100, 0.8, 0.8);
        assertEquals(937, fixed.rampUpdates());
        assertEquals(ref.tEnd(), fixed.tEnd());
        assertTrue(fixed.reachesRampEnd());
    }

    @Test
    void iterationsStepsAndUpdateIndices() {
        // deltaT 10, tEnd 90: updates at the end of iterations 9, 19, ..., 79 (steps 10 .. 80), r = 0 .. 7
        UpdateCadence c = new UpdateCadence(10, 9, 90);
        assertEquals(7, c.lastUpdateIndex());
        assertTrue(c.isUpdateIteration(9));
        assertEquals(0, c.updateIndex(9));
        assertEquals(7, c.updateIndex(79));
        assertFalse(c.isUpdateIteration(10));
        assertEquals(-1, c.updateIndex(10));
        assertFalse(c.isUpdateIteration(89), "step 90 is not < tEnd");
        assertEquals(10, c.step(9));
        assertEquals(79, c.iterationOfUpdate(7));
        assertEquals(0, c.completedUpdates(-1));
        assertEquals(0, c.completedUpdates(8));
        assertEquals(1, c.completedUpdates(9));
        assertEquals(8, c.completedUpdates(10_000));
    }

    @Test
    void reachingTargetAlwaysReachesAndKeepsTheReferenceWhenItDoes() {
        SplittableRandom rnd = new SplittableRandom(41);
        for (int trial = 0; trial < 2000; trial++) {
            int deltaT = 1 + rnd.nextInt(200);
            long total = deltaT * (2L + rnd.nextInt(400)) + rnd.nextInt(deltaT);
            double ramp = 0.05 + 0.95 * rnd.nextDouble();
            double end = Math.min(1.0, ramp + rnd.nextDouble() * 0.1);
            UpdateCadence ref;
            UpdateCadence fixed;
            try {
                ref = UpdateCadence.reference(total, deltaT, ramp, end);
                fixed = UpdateCadence.reachingTarget(total, deltaT, ramp, end);
            } catch (IllegalArgumentException tooShort) {
                continue;
            }
            assertTrue(fixed.reachesRampEnd());
            assertTrue(fixed.rampUpdates() >= 1);
            assertEquals(ref.tEnd(), fixed.tEnd());
            if (ref.reachesRampEnd()) {
                assertEquals(ref, fixed);
            } else {
                assertEquals(ref.lastUpdateIndex(), fixed.rampUpdates());
            }
            for (int r = 0; r <= fixed.lastUpdateIndex(); r += 1 + fixed.lastUpdateIndex() / 7) {
                long it = fixed.iterationOfUpdate(r);
                assertEquals(r, fixed.updateIndex(it));
                assertFalse(fixed.isUpdateIteration(it + 1) && deltaT > 1);
            }
        }
    }

    @Test
    void rejectsBadCadences() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new UpdateCadence(0, 9, 90));
        assertTrue(e.getMessage().contains("deltaT must be >= 1, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new UpdateCadence(10, 0, 90));
        assertTrue(e.getMessage().contains("rampUpdates must be >= 1, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new UpdateCadence(10, 9, 10));
        assertTrue(e.getMessage().contains("tEnd must be > deltaT"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> UpdateCadence.reference(100, 0, 0.9, 0.9));
        assertTrue(e.getMessage().contains("deltaT must be >= 1, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> UpdateCadence.reference(50, 100, 0.9, 0.9));
        assertTrue(e.getMessage().contains("totalIterations must be >= deltaT (100), got 50"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> UpdateCadence.reference(1000, 10, 0.0, 0.9));
        assertTrue(e.getMessage().contains("rampEndFraction must be in (0, 1], got 0.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> UpdateCadence.reference(1000, 10, 0.9, 1.5));
        assertTrue(e.getMessage().contains("tEndFraction must be in (0, 1], got 1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> UpdateCadence.reference(1000, 100, 0.05, 0.9));
        assertTrue(e.getMessage().contains("rampEndFraction") && e.getMessage().contains("50 iterations"),
                e.getMessage());
        // 150 iterations, deltaT 100: tEnd = 135, so only update 0 (step 100) runs: fine for the
        // reference cadence (R = 1, never reached), but reachingTarget cannot ramp
        e = assertThrows(IllegalArgumentException.class, () -> UpdateCadence.reachingTarget(150, 100, 0.9, 0.9));
        assertTrue(e.getMessage().contains("at least 2 updates") && e.getMessage().contains("tEnd=135"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new UpdateCadence(10, 9, 90).step(-1));
        assertTrue(e.getMessage().contains("iteration must be >= 0, got -1"), e.getMessage());
    }
}
