package org.rpg4j.sparse.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link MaxPool2x2}: a hand-computed plane in padded rows, and bad arguments named in the message. */
class MaxPool2x2Test {

    @Test
    void poolsAPlaneStoredInWiderRowsAndDropsTheOddLastRowAndColumn() {
        // a 3x5 plane in rows of 6 floats, starting at index 1; the last row and column are dropped
        float[] source = {
                -9, 1, 2, 3, 4, 50, -9,
                5, 6, 7, 8, 60, -9,
                70, 80, 90, 100, 110, -9};
        // windows: max(1, 2, 5, 6) = 6, max(3, 4, 7, 8) = 8
        float[] target = new float[4];
        MaxPool2x2.plane(source, 1, 6, 3, 5, target, 1, 3);
        assertArrayEquals(new float[] {0, 6, 8, 0}, target, 0f);
    }

    @Test
    void clearsEverythingButTheImagePixels() {
        // a 2x2 image in a 4x4 stored plane with a border of one
        PlaneLayout layout = new PlaneLayout(2, 2, 1, 1, 4, 4);
        float[] target = new float[1 + layout.planeSize()];
        java.util.Arrays.fill(target, 7f);
        MaxPool2x2.clearBorder(target, 1, layout);
        float[] expected = new float[target.length];
        expected[0] = 7f;
        for (int y = 1; y <= 2; y++) {
            for (int x = 1; x <= 2; x++) {
                expected[1 + y * 4 + x] = 7f;
            }
        }
        assertArrayEquals(expected, target, 0f);
    }

    @Test
    void rejectsBadArgumentsNamingThem() {
        float[] source = new float[16];
        float[] target = new float[4];
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MaxPool2x2.plane(source, 0, 4, 1, 4, target,
                0, 2)).getMessage().contains("height and width must be >= 2, sourceRowWidth >= width and "
                        + "targetRowWidth >= width / 2, got height 1, width 4, sourceRowWidth 4, targetRowWidth 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MaxPool2x2.plane(source, 0, 3, 4, 4, target,
                0, 2)).getMessage().contains("sourceRowWidth 3"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MaxPool2x2.plane(source, 1, 4, 4, 4, target,
                0, 2)).getMessage().contains("source's 16 floats, got sourceBase 1 and last index 16"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MaxPool2x2.plane(source, 0, 4, 4, 4, target,
                1, 2)).getMessage().contains("target's 4 floats, got targetBase 1 and last index 4"));
        assertThrows(IllegalArgumentException.class, () -> MaxPool2x2.plane(null, 0, 4, 4, 4, target, 0, 2));
        PlaneLayout layout = new PlaneLayout(2, 2, 1, 1, 4, 4);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MaxPool2x2.clearBorder(new float[16], 1,
                layout)).getMessage().contains("must lie in target's 16 floats, got planeBase 1"));
        assertThrows(IllegalArgumentException.class, () -> MaxPool2x2.clearBorder(null, 0, layout));
    }
}
