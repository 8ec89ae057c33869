package org.rpg4j.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CosineDropFractionTest {
    private static final double EXACT = 0.0;

    @Test
    void matchesNumpyBitForBitAtTheReferenceSteps() {
        // RigL.py cosine_annealing: 0.3 / 2 * (1 + np.cos((step * np.pi) / 90)), steps 10, 20, ..., 80,
        // evaluated by numpy; our iteration is step - 1.
        double[] numpy = {0.2909538931178863, 0.26490666646784666, 0.22499999999999998, 0.17604722665003958,
                0.12395277334996045, 0.07500000000000002, 0.03509333353215331, 0.009046106882113752};
        CosineDropFraction f = new CosineDropFraction(0.3, 90);
        for (int k = 0; k < numpy.length; k++) {
            long step = 10L * (k + 1);
            assertEquals(numpy[k], f.at(step - 1), EXACT, "step " + step);
        }
    }

    @Test
    void endPoints() {
        CosineDropFraction f = new CosineDropFraction(0.3, 1000);
        // step tEnd/2 = 500: 0.15 * (1 + cos(pi/2)) = 0.15 (cos(pi/2) = 6e-17)
        assertEquals(0.15, f.at(499), 1e-15);
        assertEquals(0.0, f.at(999), 1e-15, "step tEnd: cos(pi) = -1");
        assertEquals(0.0, new CosineDropFraction(0.0, 10).at(3), EXACT);
    }

    @Test
    void rejectsBadValues() {
        for (double alpha : new double[] {-0.1, 1.01, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new CosineDropFraction(alpha, 10));
            assertTrue(e.getMessage().contains("alpha must be in [0, 1], got " + alpha), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CosineDropFraction(0.3, 0));
        assertTrue(e.getMessage().contains("tEnd must be >= 1, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CosineDropFraction(0.3, 10).at(-1));
        assertTrue(e.getMessage().contains("iteration must be >= 0, got -1"), e.getMessage());
    }
}
