package org.rpg4j.examples.data;

import java.util.SplittableRandom;

/**
 * A small built-in data set used when no real one is found, and in tests: every image shares a
 * background of soft blobs, and each class adds a few fainter blobs of its own; an image is its
 * class pattern shifted by up to three pixels, with per-image contrast and strong pixel noise, so
 * that a small CNN needs about a hundred iterations to separate the classes (not one or two).
 *
 * <p>Named {@code synthetic-HxWxC} in every output so that nobody mistakes its accuracy for that of
 * a real data set.
 */
public final class SyntheticData {
    private static final int BACKGROUND_BLOBS = 4;
    private static final int BLOBS_PER_CLASS = 2;
    private static final int MAX_SHIFT = 3;
    private static final double NOISE = 110.0;

    private SyntheticData() {}

    /**
     * @param channels channels per image, {@code >= 1}
     * @param side height and width, {@code >= 4}
     * @return the name shown in outputs, e.g. {@code synthetic-28x28x1}
     */
    public static String name(int channels, int side) {
        return "synthetic-" + side + "x" + side + "x" + channels;
    }

    /**
     * Generates a training and a test set from the same class patterns.
     *
     * @param channels channels per image, {@code >= 1}
     * @param side height and width in pixels, {@code >= 4}
     * @param numClasses classes, in {@code [2, 256]}
     * @param trainSize training images, {@code >= 1}
     * @param testSize test images, {@code >= 1}
     * @param seed seed of everything random
     * @return the two sets
     * @throws IllegalArgumentException naming the first invalid parameter
     */
    public static TrainTestData generate(int channels, int side, int numClasses, int trainSize, int testSize,
                                         long seed) {
        if (side < 4) {
            throw new IllegalArgumentException("side must be >= 4, got " + side);
        }
        if (trainSize < 1 || testSize < 1) {
            throw new IllegalArgumentException("trainSize and testSize must be >= 1, got " + trainSize + " and "
                    + testSize);
        }
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        }
        if (numClasses < 2 || numClasses > 256) {
            throw new IllegalArgumentException("numClasses must be in [2, 256], got " + numClasses);
        }
        float[][] patterns = patterns(channels, side, numClasses, new SplittableRandom(seed));
        String name = name(channels, side);
        ImageSet train = sample(name, patterns, channels, side, trainSize, new SplittableRandom(seed + 1));
        ImageSet test = sample(name, patterns, channels, side, testSize, new SplittableRandom(seed + 2));
        return new TrainTestData(train, test, "built-in synthetic data (" + numClasses + " classes of noisy random "
                + "blob patterns, seed " + seed + ")", true);
    }

    /** One pattern per class, {@code [channels * side * side]} each: a shared background plus class blobs. */
    private static float[][] patterns(int channels, int side, int numClasses, SplittableRandom random) {
        float[] background = new float[channels * side * side];
        addBlobs(background, BACKGROUND_BLOBS, 50, 100, channels, side, random);
        float[][] patterns = new float[numClasses][];
        for (int k = 0; k < numClasses; k++) {
            patterns[k] = background.clone();
            addBlobs(patterns[k], BLOBS_PER_CLASS, 25, 45, channels, side, random);
        }
        return patterns;
    }

    /** Adds {@code count} Gaussian blobs with per-channel amplitudes in {@code [low, low + range)}. */
    private static void addBlobs(float[] pattern, int count, double low, double range, int channels, int side,
                                 SplittableRandom random) {
        for (int b = 0; b < count; b++) {
            double cy = random.nextDouble(side);
            double cx = random.nextDouble(side);
            double radius = side * (0.08 + 0.15 * random.nextDouble());
            for (int c = 0; c < channels; c++) {
                double amplitude = low + range * random.nextDouble();
                for (int y = 0; y < side; y++) {
                    for (int x = 0; x < side; x++) {
                        double d2 = ((y - cy) * (y - cy) + (x - cx) * (x - cx)) / (radius * radius);
                        pattern[(c * side + y) * side + x] += (float) (amplitude * Math.exp(-0.5 * d2));
                    }
                }
            }
        }
    }

    private static ImageSet sample(String name, float[][] patterns, int channels, int side, int size,
                                   SplittableRandom random) {
        int imageBytes = channels * side * side;
        byte[] pixels = new byte[size * imageBytes];
        byte[] labels = new byte[size];
        for (int i = 0; i < size; i++) {
            int label = random.nextInt(patterns.length);
            labels[i] = (byte) label;
            int dy = random.nextInt(-MAX_SHIFT, MAX_SHIFT + 1);
            int dx = random.nextInt(-MAX_SHIFT, MAX_SHIFT + 1);
            double contrast = 0.6 + 0.8 * random.nextDouble();
            float[] pattern = patterns[label];
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < side; y++) {
                    int sy = Math.floorMod(y + dy, side);
                    for (int x = 0; x < side; x++) {
                        int sx = Math.floorMod(x + dx, side);
                        double v = contrast * pattern[(c * side + sy) * side + sx] + NOISE * random.nextDouble();
                        pixels[i * imageBytes + (c * side + y) * side + x] = (byte) Math.min(255, (int) v);
                    }
                }
            }
        }
        return new ImageSet(name, pixels, labels, channels, side, side, patterns.length);
    }
}
