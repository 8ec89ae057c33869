package org.rpg4j.examples.data;

import java.util.Objects;

/**
 * A labelled set of equally sized images held as unsigned bytes (immutable by contract: the arrays
 * are not copied, and nothing in this package writes to them after construction).
 *
 * @param name short name shown in every output, e.g. {@code fashion-mnist} or {@code synthetic-28x28x1}
 * @param pixels {@code [size, channels, height, width]} in row-major order, values 0..255 as unsigned bytes
 * @param labels {@code [size]}, class indices in {@code [0, numClasses)}
 * @param channels channels per image, {@code >= 1}
 * @param height image height in pixels, {@code >= 1}
 * @param width image width in pixels, {@code >= 1}
 * @param numClasses number of classes, {@code >= 2}
 */
public record ImageSet(String name, byte[] pixels, byte[] labels, int channels, int height, int width,
                       int numClasses) {

    /**
     * @throws IllegalArgumentException if a dimension is not positive, the array lengths do not
     *     match, or a label is outside {@code [0, numClasses)}
     */
    public ImageSet {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        positive("channels", channels);
        positive("height", height);
        positive("width", width);
        if (numClasses < 2 || numClasses > 256) {
            throw new IllegalArgumentException("numClasses must be in [2, 256], got " + numClasses);
        }
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException("pixels must hold size * channels * height * width = " + expected
                    + " bytes, got " + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xFF) >= numClasses) {
                throw new IllegalArgumentException("labels[" + i + "] must be in [0, " + numClasses + "), got "
                        + (labels[i] & 0xFF));
            }
        }
    }

    /** @return number of images */
    public int size() {
        return labels.length;
    }

    /** @return bytes per image, {@code channels * height * width} */
    public int imageBytes() {
        return channels * height * width;
    }

    /** @return the class of image {@code index} */
    public int label(int index) {
        return labels[index] & 0xFF;
    }

    /**
     * The first {@code count} images (a copy), for quick runs.
     *
     * @param count number of images to keep, in {@code [1, size()]}
     * @return this set if {@code count == size()}, else a smaller copy with the same name
     * @throws IllegalArgumentException if count is outside {@code [1, size()]}
     */
    public ImageSet head(int count) {
        if (count < 1 || count > size()) {
            throw new IllegalArgumentException("count must be in [1, " + size() + "], got " + count);
        }
        if (count == size()) {
            return this;
        }
        byte[] p = java.util.Arrays.copyOf(pixels, count * imageBytes());
        byte[] l = java.util.Arrays.copyOf(labels, count);
        return new ImageSet(name, p, l, channels, height, width, numClasses);
    }

    @Override
    public String toString() {
        return name + " (" + size() + " images of " + channels + "x" + height + "x" + width + ", " + numClasses
                + " classes)";
    }

    private static void positive(String parameter, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(parameter + " must be >= 1, got " + value);
        }
    }
}
