package org.rpg4j.sparse.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Padding and unpadding between plain NCHW arrays and {@link PlaneLayout}'s zero-bordered planes. */
class PlaneLayoutTest {

    private static final PlaneLayout LAYOUT = new PlaneLayout(4, 5, 1, 2, 9, 7);

    /** Into a caller's array holding old values (NaN): every entry written, the same values as {@code unpad}. */
    @Test
    void unpadIntoOverwritesTheTargetLikeUnpad() {
        Random random = new Random(5);
        float[] flat = new float[2 * 3 * 4 * 5];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = (float) random.nextGaussian();
        }
        float[] padded = LAYOUT.pad(flat, 3);
        float[] target = new float[flat.length];
        Arrays.fill(target, Float.NaN);
        assertSame(target, LAYOUT.unpadInto(padded, 3, target));
        assertArrayEquals(flat, target);
        assertArrayEquals(LAYOUT.unpad(padded, 3), target);
    }

    /** A target of the wrong length or none, and a padded array of partial images, are refused by name. */
    @Test
    void unpadIntoRefusesBadArrays() {
        float[] padded = new float[2 * 3 * LAYOUT.planeSize()];
        IllegalArgumentException shortTarget = assertThrows(IllegalArgumentException.class,
                () -> LAYOUT.unpadInto(padded, 3, new float[2 * 3 * 20 - 1]));
        assertTrue(shortTarget.getMessage().contains("flat must hold 120"), shortTarget.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LAYOUT.unpadInto(padded, 3, null));
        IllegalArgumentException partial = assertThrows(IllegalArgumentException.class,
                () -> LAYOUT.unpadInto(new float[LAYOUT.planeSize() * 4], 3, new float[80]));
        assertTrue(partial.getMessage().contains("padded"), partial.getMessage());
    }
}
