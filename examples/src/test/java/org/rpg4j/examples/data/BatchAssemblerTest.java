package org.rpg4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

class BatchAssemblerTest {
    private static final double TOLERANCE = 1e-6;

    /** One 1-channel 3x3 image with pixels 10..90 row-major (label 1) and one of zeros (label 0). */
    private static ImageSet tiny() {
        byte[] pixels = new byte[18];
        for (int i = 0; i < 9; i++) {
            pixels[i] = (byte) (10 * (i + 1));
        }
        return new ImageSet("t", pixels, new byte[] {1, 0}, 1, 3, 3, 2);
    }

    @Test
    void normalisesAndOneHotEncodes() {
        // mean 0.2, std 0.5: value v -> (v / 255 - 0.2) / 0.5
        Normalization norm = new Normalization(new double[] {0.2}, new double[] {0.5});
        BatchAssembler assembler = new BatchAssembler(tiny(), norm, Augmentation.NONE, 0.0);
        DataSet batch = assembler.batch(new int[] {1, 0}, 0, 2, new SplittableRandom(1));
        assertArrayEquals(new long[] {2, 1, 3, 3}, batch.getFeatures().shape());
        assertEquals((0 - 0.2) / 0.5, batch.getFeatures().getDouble(0, 0, 0, 0), TOLERANCE);
        assertEquals((50 / 255.0 - 0.2) / 0.5, batch.getFeatures().getDouble(1, 0, 1, 1), TOLERANCE);
        assertArrayEquals(new float[] {1, 0, 0, 1}, batch.getLabels().data().asFloat());
    }

    @Test
    void labelSmoothingSpreadsEpsilon() {
        Normalization norm = new Normalization(new double[] {0}, new double[] {1});
        BatchAssembler assembler = new BatchAssembler(tiny(), norm, Augmentation.NONE, 0.1);
        INDArray labels = assembler.batch(new int[] {0}, 0, 1, new SplittableRandom(1)).getLabels();
        // 2 classes, eps 0.1: true class 0.9 + 0.05, other 0.05
        assertEquals(0.05, labels.getDouble(0, 0), TOLERANCE);
        assertEquals(0.95, labels.getDouble(0, 1), TOLERANCE);
    }

    @Test
    void cropAndFlipMoveEveryPixelConsistently() {
        Normalization identity = new Normalization(new double[] {0}, new double[] {1.0 / 255});
        BatchAssembler assembler = new BatchAssembler(tiny(), identity, new Augmentation(1, true), 0.0);
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 50; trial++) {
            float[] out = assembler.batch(new int[] {0}, 0, 1, random).getFeatures().data().asFloat();
            // Pixels are 10 * (3y + x + 1), padding is 0; every output is a shifted, maybe mirrored input.
            boolean matchesSome = false;
            for (int dy = -1; dy <= 1 && !matchesSome; dy++) {
                for (int dx = -1; dx <= 1 && !matchesSome; dx++) {
                    for (int flip = 0; flip < 2 && !matchesSome; flip++) {
                        matchesSome = matches(out, dy, dx, flip == 1);
                    }
                }
            }
            assertEquals(true, matchesSome, Arrays.toString(out));
        }
    }

    private static boolean matches(float[] out, int dy, int dx, boolean flip) {
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) {
                int sy = y + dy;
                int sx = (flip ? 2 - x : x) + dx;
                float expected = sy < 0 || sy > 2 || sx < 0 || sx > 2 ? 0 : 10 * (3 * sy + sx + 1);
                if (Math.abs(out[3 * y + x] - expected) > 1e-3) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void shuffledIndicesArePermutationsAndSeeded() {
        for (int n = 0; n < 40; n++) {
            int[] order = BatchAssembler.shuffledIndices(n, new SplittableRandom(n));
            int[] sorted = order.clone();
            Arrays.sort(sorted);
            assertArrayEquals(IntStream.range(0, n).toArray(), sorted, "a permutation of 0.." + n);
            assertArrayEquals(order, BatchAssembler.shuffledIndices(n, new SplittableRandom(n)),
                    "same seed, same order");
        }
        // 3 images: 6 orders, so within 10 seeds one is not the identity
        boolean moved = false;
        for (long seed = 0; seed < 10 && !moved; seed++) {
            moved = !Arrays.equals(new int[] {0, 1, 2}, BatchAssembler.shuffledIndices(3, new SplittableRandom(
                    seed)));
        }
        assertTrue(moved, "some seed moves an index");
    }

    @Test
    void measuresChannelStatistics() {
        // pixels 10..90 and nine zeros: mean 450/18 = 25, E[v^2] = 28500/18
        Normalization norm = Normalization.of(tiny());
        assertEquals(25 / 255.0, norm.mean()[0], TOLERANCE);
        assertEquals(Math.sqrt(28500 / 18.0 - 625) / 255.0, norm.std()[0], TOLERANCE);
    }

    @Test
    void rejectsBadArguments() {
        Normalization norm = new Normalization(new double[] {0}, new double[] {1});
        assertThrows(IllegalArgumentException.class, () -> new BatchAssembler(tiny(), norm, Augmentation.NONE, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(-1, false));
        assertThrows(IllegalArgumentException.class, () -> new Normalization(new double[] {0}, new double[] {0}));
    }
}
