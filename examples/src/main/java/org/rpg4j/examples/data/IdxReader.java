package org.rpg4j.examples.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads image and label files in the idx format of MNIST and Fashion-MNIST, plain or gzip
 * compressed: a big-endian header (magic {@code 0x00000803} and three dimensions for images,
 * {@code 0x00000801} and one for labels), then unsigned bytes, row-major.
 *
 * <p>Every file is read completely and checked (magic, dimensions, label range, matching counts,
 * nothing after the data) before anything is returned; a problem gives a {@link
 * CorruptDataException} naming the file and the byte offset.
 */
public final class IdxReader {
    /** Magic number of an idx file of unsigned bytes with three dimensions. */
    static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an idx file of unsigned bytes with one dimension. */
    static final int LABELS_MAGIC = 0x00000801;
    private static final int MAX_SIDE = 4096;

    private IdxReader() {}

    /**
     * Reads a pair of idx files.
     *
     * @param images idx3 file of {@code [n, height, width]} unsigned bytes, plain or gzip
     * @param labels idx1 file of {@code [n]} class indices, plain or gzip
     * @param name name of the data set shown in outputs
     * @param numClasses number of classes; every label must be below it
     * @return the images as a one-channel {@link ImageSet}
     * @throws CorruptDataException if a file is truncated, malformed or the two disagree
     * @throws IOException if a file cannot be read
     */
    public static ImageSet read(Path images, Path labels, String name, int numClasses) throws IOException {
        int[] dims = new int[3];
        byte[] pixels = readImages(images, dims);
        byte[] labelBytes = readLabels(labels, dims[0], numClasses);
        return new ImageSet(name, pixels, labelBytes, 1, dims[1], dims[2], numClasses);
    }

    private static byte[] readImages(Path file, int[] dims) throws IOException {
        try (CountingInput in = CountingInput.open(file)) {
            int magic = in.readInt("the magic number");
            if (magic != IMAGES_MAGIC) {
                throw new CorruptDataException(file, 0, String.format(
                        "magic number 0x%08x is not that of an idx image file (expected 0x%08x: unsigned bytes, 3 "
                                + "dimensions)", magic, IMAGES_MAGIC));
            }
            int count = in.readInt("the image count");
            int height = in.readInt("the image height");
            int width = in.readInt("the image width");
            if (count < 1 || height < 1 || height > MAX_SIDE || width < 1 || width > MAX_SIDE
                    || (long) count * height * width > Integer.MAX_VALUE - 8) {
                throw new CorruptDataException(file, 4, "implausible dimensions " + count + " x " + height + " x "
                        + width + " (expected count >= 1, sides in [1, " + MAX_SIDE + "], under 2^31 bytes)");
            }
            byte[] pixels = new byte[count * height * width];
            in.readFully(pixels, 0, pixels.length, "pixels of " + count + " images of " + height + "x" + width);
            in.expectEnd();
            dims[0] = count;
            dims[1] = height;
            dims[2] = width;
            return pixels;
        }
    }

    private static byte[] readLabels(Path file, int expectedCount, int numClasses) throws IOException {
        try (CountingInput in = CountingInput.open(file)) {
            int magic = in.readInt("the magic number");
            if (magic != LABELS_MAGIC) {
                throw new CorruptDataException(file, 0, String.format(
                        "magic number 0x%08x is not that of an idx label file (expected 0x%08x: unsigned bytes, 1 "
                                + "dimension)", magic, LABELS_MAGIC));
            }
            int count = in.readInt("the label count");
            if (count != expectedCount) {
                throw new CorruptDataException(file, 4, "holds " + count + " labels but the image file holds "
                        + expectedCount + " images");
            }
            byte[] labels = new byte[count];
            in.readFully(labels, 0, count, count + " labels");
            in.expectEnd();
            long headerBytes = 8;
            for (int i = 0; i < count; i++) {
                if ((labels[i] & 0xFF) >= numClasses) {
                    throw new CorruptDataException(file, headerBytes + i, "label " + (labels[i] & 0xFF)
                            + " of image " + i + " is not a class index in [0, " + numClasses + ")");
                }
            }
            return labels;
        }
    }
}
