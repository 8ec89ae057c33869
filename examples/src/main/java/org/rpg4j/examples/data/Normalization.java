package org.rpg4j.examples.data;

import java.util.Arrays;

/**
 * Per-channel normalisation {@code x' = (pixel / 255 - mean[c]) / std[c]}, with statistics taken
 * from a training set.
 *
 * @param mean per-channel mean of {@code pixel / 255}, length = channels
 * @param std per-channel standard deviation of {@code pixel / 255}, each {@code > 0}
 */
public record Normalization(double[] mean, double[] std) {
    /** @throws IllegalArgumentException if the lengths differ or a std is not positive */
    public Normalization {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("mean and std must have the same, non-zero length, got "
                    + mean.length + " and " + std.length);
        }
        for (int c = 0; c < std.length; c++) {
            if (!(std[c] > 0) || Double.isInfinite(std[c])) {
                throw new IllegalArgumentException("std[" + c + "] must be finite and > 0, got " + std[c]);
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /**
     * Measures the per-channel mean and standard deviation of a set (one pass, in double).
     *
     * @param images the training images; not modified
     * @return the statistics; a channel with zero spread gets std 1
     */
    public static Normalization of(ImageSet images) {
        int channels = images.channels();
        int plane = images.height() * images.width();
        double[] sum = new double[channels];
        double[] sumSq = new double[channels];
        byte[] pixels = images.pixels();
        for (int i = 0; i < images.size(); i++) {
            for (int c = 0; c < channels; c++) {
                int base = (i * channels + c) * plane;
                long s = 0;
                long s2 = 0;
                for (int p = 0; p < plane; p++) {
                    int v = pixels[base + p] & 0xFF;
                    s += v;
                    s2 += (long) v * v;
                }
                sum[c] += s;
                sumSq[c] += s2;
            }
        }
        double n = (double) images.size() * plane;
        double[] mean = new double[channels];
        double[] std = new double[channels];
        for (int c = 0; c < channels; c++) {
            double m = sum[c] / n;
            double variance = Math.max(0.0, sumSq[c] / n - m * m);
            mean[c] = m / 255.0;
            std[c] = variance > 0 ? Math.sqrt(variance) / 255.0 : 1.0;
        }
        return new Normalization(mean, std);
    }

    /**
     * @param channel channel index
     * @return {@code table[v] = (v / 255 - mean) / std} for every byte value {@code v}
     */
    float[] lookupTable(int channel) {
        float[] table = new float[256];
        for (int v = 0; v < 256; v++) {
            table[v] = (float) ((v / 255.0 - mean[channel]) / std[channel]);
        }
        return table;
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    @Override
    public String toString() {
        return "mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std);
    }
}
