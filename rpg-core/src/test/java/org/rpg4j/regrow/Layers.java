package org.rpg4j.regrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;

/** Random test inputs for a topology update: weights (zero where masked), masks, scores, shapes. */
final class Layers {
    final float[][] weights;
    final boolean[][] masks;
    final float[][] scores;
    final long[][] shapes;

    private Layers(float[][] weights, boolean[][] masks, float[][] scores, long[][] shapes) {
        this.weights = weights;
        this.masks = masks;
        this.scores = scores;
        this.shapes = shapes;
    }

    static Layers random(SplittableRandom rnd, int trial) {
        int count = 1 + rnd.nextInt(4);
        long[][] shapes = new long[count][];
        float[][] w = new float[count][];
        boolean[][] m = new boolean[count][];
        float[][] g = new float[count][];
        for (int l = 0; l < count; l++) {
            shapes[l] = rnd.nextBoolean()
                    ? new long[] {1 + rnd.nextInt(16), 1 + rnd.nextInt(8), 3, 3}
                    : new long[] {1 + rnd.nextInt(40), 1 + rnd.nextInt(40)};
            int n = (int) java.util.Arrays.stream(shapes[l]).reduce(1, (a, b) -> a * b);
            w[l] = values(rnd, n, trial % 3 == 0);
            g[l] = values(rnd, n, trial % 4 == 0);
            m[l] = new boolean[n];
            double keep = trial % 5 == 0 ? 1.0 : 0.3 + 0.7 * rnd.nextDouble();
            for (int i = 0; i < n; i++) {
                m[l][i] = rnd.nextDouble() < keep;
                w[l][i] = m[l][i] ? w[l][i] : 0f;
            }
        }
        return new Layers(w, m, g, shapes);
    }

    /** Gaussian arrays shaped like {@code like}, zero where {@code masks} is false (if given). */
    static float[][] gaussian(SplittableRandom rnd, float[][] like, boolean[][] masks) {
        float[][] a = new float[like.length][];
        for (int l = 0; l < like.length; l++) {
            a[l] = new float[like[l].length];
            for (int i = 0; i < a[l].length; i++) {
                a[l][i] = masks == null || masks[l][i] ? (float) rnd.nextGaussian() : 0f;
            }
        }
        return a;
    }

    private static float[] values(SplittableRandom rnd, int n, boolean tied) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = tied ? (rnd.nextInt(7) - 3) * 0.5f : (float) rnd.nextGaussian();
        }
        return v;
    }

    Layers copy() {
        float[][] w = new float[weights.length][];
        boolean[][] m = new boolean[weights.length][];
        float[][] g = new float[weights.length][];
        for (int l = 0; l < weights.length; l++) {
            w[l] = weights[l].clone();
            m[l] = masks[l].clone();
            g[l] = scores[l].clone();
        }
        return new Layers(w, m, g, shapes);
    }

    void assertEqualTo(Layers other) {
        for (int l = 0; l < weights.length; l++) {
            assertArrayEquals(other.weights[l], weights[l], "weights unmodified");
            assertArrayEquals(other.masks[l], masks[l], "masks unmodified");
            assertArrayEquals(other.scores[l], scores[l], "scores unmodified");
        }
    }
}
