package org.rpg4j.sparse.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Float16Test {

    @Test
    void handComputedPatterns() {
        // 1.0 = 2^0: exponent 0 + 15 = 0b01111, mantissa 0 -> 0x3C00
        assertEquals(0x3C00, Float16.fromFloat(1.0f));
        // -2.5 = -1.25 * 2^1: sign 1, exponent 16 = 0b10000, mantissa 0.25 * 1024 = 256 -> 0xC100
        assertEquals(0xC100, Float16.fromFloat(-2.5f));
        // 65504 = (2 - 2^-10) * 2^15: exponent 30, mantissa 1023 -> 0x7BFF
        assertEquals(0x7BFF, Float16.fromFloat(65504f));
        // smallest subnormal 2^-24 -> 0x0001; 2^-25 is a tie between 0 and 2^-24: even -> 0
        assertEquals(0x0001, Float16.fromFloat(0x1p-24f));
        assertEquals(0x0000, Float16.fromFloat(0x1p-25f));
        assertEquals(0x0001, Float16.fromFloat(Math.nextUp(0x1p-25f)));
        // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: even mantissa (0) wins; 1 + 3 * 2^-11 rounds up to 1 + 2^-9
        assertEquals(0x3C00, Float16.fromFloat(1f + 0x1p-11f));
        assertEquals(0x3C02, Float16.fromFloat(1f + 3 * 0x1p-11f));
        assertEquals(0x8000, Float16.fromFloat(-0.0f));
        assertEquals(0x7C00, Float16.fromFloat(Float.POSITIVE_INFINITY));
        assertEquals(0x7C00, Float16.fromFloat(65520f)); // 65504 + half an ulp (32/2): tie to even -> infinity
        assertTrue(Float.isNaN(Float16.toFloat(Float16.fromFloat(Float.NaN))));
        assertTrue(Float16.overflows(65520f));
        assertFalse(Float16.overflows(65519f));
        assertFalse(Float16.overflows(Float.POSITIVE_INFINITY));
    }

    @Test
    void everyHalfSurvivesARoundTrip() {
        for (int h = 0; h <= 0xFFFF; h++) {
            float f = Float16.toFloat(h);
            if (!Float.isNaN(f)) {
                assertEquals(h, Float16.fromFloat(f), "half 0x" + Integer.toHexString(h));
            }
        }
    }

    @Test
    void roundsToTheNearestHalfAgainstABruteForceSearch() {
        SplittableRandom random = new SplittableRandom(15);
        for (int i = 0; i < 20_000; i++) {
            // magnitudes from 2^-26 to 2^16, both signs
            float f = (float) ((random.nextBoolean() ? -1 : 1) * Math.pow(2, random.nextDouble(-26, 15.99)));
            int h = Float16.fromFloat(f);
            double error = Math.abs((double) Float16.toFloat(h) - f);
            // no neighbour pattern is strictly closer, and a tie must have chosen the even pattern
            for (int neighbour : new int[] {h - 1, h + 1}) {
                if ((neighbour & 0x7FFF) > 0x7BFF || ((neighbour ^ h) & 0x8000) != 0) {
                    continue;
                }
                double other = Math.abs((double) Float16.toFloat(neighbour) - f);
                assertTrue(error < other || (error == other && (h & 1) == 0), "value " + f + " -> 0x"
                        + Integer.toHexString(h) + ", neighbour 0x" + Integer.toHexString(neighbour) + " is closer");
            }
        }
    }
}
