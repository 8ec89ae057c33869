package org.rpg4j.regrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RegrowthQuotaTest {

    @Test
    void referenceArithmeticTruncatesLikeTheReference() {
        // Update 3, layer 0 of the reference vectors: N = 216, 85 zeros after the threshold,
        // S = 85/216; (1 - S) * 216 = 130.99999999999997 -> K = 130, one less than the 131 survivors;
        // f = 0.17604722665003958: nGrow = int(130.99999999999997 * f) = int(23.06...) = 23; nKeep = 107
        RegrowthQuota q = RegrowthQuota.reference(216, 85.0 / 216, 0.17604722665003958);
        assertEquals(130, q.activeCount());
        assertEquals(23, q.growCount());
        assertEquals(107, q.keepCount());
    }

    @Test
    void zeroSparsityAndZeroDropFraction() {
        // S = 0, N = 10, f = 0.35: K = 10, nGrow = int(3.5) = 3, nKeep = 7
        RegrowthQuota q = RegrowthQuota.reference(10, 0.0, 0.35);
        assertEquals(10, q.activeCount());
        assertEquals(3, q.growCount());
        assertEquals(0, RegrowthQuota.reference(10, 0.5, 0.0).growCount());
    }

    @Test
    void stationaryKeepsTheActiveCountExactly() {
        // N = 10, 4 active, f = 0.5: S = 0.6, nGrow = int((1 - 0.6) * 10 * 0.5) = int(2.0) = 2, nKeep = 2
        RegrowthQuota q = RegrowthQuota.stationary(10, 4, 0.5);
        assertEquals(4, q.activeCount());
        assertEquals(2, q.growCount());
        // re-deriving S from a mask and truncating would lose a weight: N = 216, 131 active
        assertEquals(130, RegrowthQuota.reference(216, (216 - 131) / 216.0, 0.1).activeCount());
        assertEquals(131, RegrowthQuota.stationary(216, 131, 0.1).activeCount());
        RegrowthQuota same = RegrowthQuota.unchanged(10, 7);
        assertEquals(7, same.activeCount());
        assertEquals(0, same.growCount());
    }

    @Test
    void referenceQuotaNeverExceedsTheSurvivorsAndLosesAtMostOne() {
        SplittableRandom rnd = new SplittableRandom(2);
        int truncated = 0;
        for (int trial = 0; trial < 20_000; trial++) {
            int n = 1 + rnd.nextInt(5000);
            int zeros = rnd.nextInt(n + 1);
            double f = rnd.nextDouble();
            RegrowthQuota q = RegrowthQuota.reference(n, (double) zeros / n, f);
            assertTrue(q.activeCount() <= n - zeros && q.activeCount() >= n - zeros - 1, "n=" + n + " zeros=" + zeros);
            assertTrue(q.growCount() <= q.activeCount());
            truncated += q.activeCount() < n - zeros ? 1 : 0;
        }
        assertTrue(truncated > 1000, "truncation is common (about one in five), saw " + truncated);
    }

    @Test
    void rejectsBadQuotas() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RegrowthQuota.reference(10, 1.5, 0.1));
        assertTrue(e.getMessage().contains("layerSparsity must be in [0, 1], got 1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RegrowthQuota.reference(10, 0.5, -0.1));
        assertTrue(e.getMessage().contains("dropFraction must be in [0, 1], got -0.1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RegrowthQuota(10, 8, 3, 0.1));
        assertTrue(e.getMessage().contains("keepCount=8") && e.getMessage().contains("growCount=3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RegrowthQuota.stationary(10, 11, 0.1));
        assertTrue(e.getMessage().contains("activeCount must be in [0, 10], got 11"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RegrowthQuota(0, 0, 0, 0.1));
        assertTrue(e.getMessage().contains("size must be >= 1, got 0"), e.getMessage());
    }
}
