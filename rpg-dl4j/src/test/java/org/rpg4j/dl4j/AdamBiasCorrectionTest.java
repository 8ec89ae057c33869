package org.rpg4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The bounds {@code docs/dl4j.md} gives for Adam's bias correction, which in DL4J counts the
 * iterations whose step rpg4j skips: with skips at iterations {@code deltaT - 1, 2 deltaT - 1, ...},
 * the largest relative difference over training between DL4J's step size factor
 * {@code sqrt(1 - beta2^(t+1)) / (1 - beta1^(t+1))} and the factor at {@code t + 1 - k} (k skipped
 * steps before iteration t, PyTorch's count), for Adam's default betas (0.9, 0.999).
 */
class AdamBiasCorrectionTest {

    @ParameterizedTest(name = "deltaT {0}: at most {1}")
    @CsvSource({"100, 0.0047", "20, 0.0245", "10, 0.0510"})
    void stepSizeDifferenceFromCountingSkippedSteps(int deltaT, double documented) {
        double worst = 0;
        for (long t = deltaT; t < 200_000; t++) {
            long skipped = t / deltaT;
            worst = Math.max(worst, Math.abs(factor(t + 1) / factor(t + 1 - skipped) - 1));
        }
        assertEquals(documented, worst, 0.0001);
    }

    private static double factor(long t) {
        return Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
    }
}
