package org.rpg4j.examples.data;

import java.util.SplittableRandom;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns images of an {@link ImageSet} into a DL4J {@link DataSet}: features {@code [batch, channels,
 * height, width]} (NCHW, float32, normalised, optionally augmented) and labels {@code [batch,
 * classes]} (one-hot, optionally label-smoothed). All pixel work is done in primitive loops over one
 * {@code float[]} per batch; ND4J sees only the finished arrays.
 */
public final class BatchAssembler {
    private final ImageSet images;
    private final float[][] tables;
    private final Augmentation augmentation;
    private final double labelSmoothing;

    /**
     * @param images the source images; not modified
     * @param normalization per-channel statistics, as many channels as the images
     * @param augmentation applied to every image (use {@link Augmentation#NONE} for test batches)
     * @param labelSmoothing epsilon in {@code [0, 1)}: labels become {@code (1 - eps) * onehot + eps / classes}
     * @throws IllegalArgumentException if the channel counts differ or labelSmoothing is out of range
     */
    public BatchAssembler(ImageSet images, Normalization normalization, Augmentation augmentation,
                          double labelSmoothing) {
        if (normalization.mean().length != images.channels()) {
            throw new IllegalArgumentException("normalization must have " + images.channels() + " channels, got "
                    + normalization.mean().length);
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("labelSmoothing must be in [0, 1), got " + labelSmoothing);
        }
        this.images = images;
        this.augmentation = augmentation;
        this.labelSmoothing = labelSmoothing;
        this.tables = new float[images.channels()][];
        for (int c = 0; c < tables.length; c++) {
            tables[c] = normalization.lookupTable(c);
        }
    }

    /** @return the source images */
    public ImageSet images() {
        return images;
    }

    /**
     * An epoch's order of the images: a Fisher-Yates shuffle of {@code 0 .. n-1}, for the {@code indices} of
     * {@link #batch}.
     *
     * @param n number of images, at least 0
     * @param random the shuffle's source (advanced by {@code n - 1} draws)
     * @return a permutation of {@code 0 .. n-1}
     */
    public static int[] shuffledIndices(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * Assembles one batch.
     *
     * @param indices image indices into the set; positions {@code [from, to)} are used
     * @param from first position, inclusive
     * @param to last position, exclusive; {@code to > from}
     * @param random source of the augmentation choices (advanced; unused without augmentation)
     * @return features {@code [to - from, C, H, W]} and labels {@code [to - from, classes]}
     */
    public DataSet batch(int[] indices, int from, int to, SplittableRandom random) {
        int n = to - from;
        if (n < 1 || from < 0 || to > indices.length) {
            throw new IllegalArgumentException("[from, to) must be a non-empty range within [0, " + indices.length
                    + "], got [" + from + ", " + to + ")");
        }
        int imageBytes = images.imageBytes();
        float[] features = new float[n * imageBytes];
        float[] labels = new float[n * images.numClasses()];
        float off = (float) (labelSmoothing / images.numClasses());
        float on = (float) (1.0 - labelSmoothing) + off;
        for (int b = 0; b < n; b++) {
            int index = indices[from + b];
            if (augmentation.isActive()) {
                int p = augmentation.padding();
                int dy = p == 0 ? 0 : random.nextInt(-p, p + 1);
                int dx = p == 0 ? 0 : random.nextInt(-p, p + 1);
                boolean flip = augmentation.flip() && random.nextBoolean();
                copyAugmented(index, features, b * imageBytes, dy, dx, flip);
            } else {
                copyPlain(index, features, b * imageBytes);
            }
            int row = b * images.numClasses();
            for (int k = 0; k < images.numClasses(); k++) {
                labels[row + k] = off;
            }
            labels[row + images.label(index)] = on;
        }
        return new DataSet(
                Nd4j.create(features, new long[] {n, images.channels(), images.height(), images.width()}, 'c'),
                Nd4j.create(labels, new long[] {n, images.numClasses()}, 'c'));
    }

    /**
     * Draws from {@code random} exactly what assembling {@code images} images would draw, without
     * assembling them: resuming an epoch mid-way puts the augmentation stream where it was.
     *
     * @param random the epoch's augmentation stream (advanced; untouched without augmentation)
     * @param images images to skip, {@code >= 0}
     * @throws IllegalArgumentException if images is negative
     */
    public void advance(SplittableRandom random, long images) {
        if (images < 0) {
            throw new IllegalArgumentException("images must be >= 0, got " + images);
        }
        if (!augmentation.isActive()) {
            return;
        }
        int p = augmentation.padding();
        for (long i = 0; i < images; i++) {
            // the same calls, in the same order, as batch(): dy, dx, then the flip
            if (p != 0) {
                random.nextInt(-p, p + 1);
                random.nextInt(-p, p + 1);
            }
            if (augmentation.flip()) {
                random.nextBoolean();
            }
        }
    }

    private void copyPlain(int index, float[] out, int outBase) {
        byte[] pixels = images.pixels();
        int plane = images.height() * images.width();
        int inBase = index * images.imageBytes();
        for (int c = 0; c < tables.length; c++) {
            float[] table = tables[c];
            int o = outBase + c * plane;
            int in = inBase + c * plane;
            for (int p = 0; p < plane; p++) {
                out[o + p] = table[pixels[in + p] & 0xFF];
            }
        }
    }

    /** out(y, x) = in(y + dy, x' + dx) with x' = W - 1 - x when flipped; outside the image: pixel 0. */
    private void copyAugmented(int index, float[] out, int outBase, int dy, int dx, boolean flip) {
        byte[] pixels = images.pixels();
        int h = images.height();
        int w = images.width();
        int inBase = index * images.imageBytes();
        for (int c = 0; c < tables.length; c++) {
            float[] table = tables[c];
            float pad = table[0];
            int plane = c * h * w;
            for (int y = 0; y < h; y++) {
                int sy = y + dy;
                int o = outBase + plane + y * w;
                if (sy < 0 || sy >= h) {
                    java.util.Arrays.fill(out, o, o + w, pad);
                    continue;
                }
                int in = inBase + plane + sy * w;
                for (int x = 0; x < w; x++) {
                    int sx = (flip ? w - 1 - x : x) + dx;
                    out[o + x] = sx < 0 || sx >= w ? pad : table[pixels[in + sx] & 0xFF];
                }
            }
        }
    }
}
