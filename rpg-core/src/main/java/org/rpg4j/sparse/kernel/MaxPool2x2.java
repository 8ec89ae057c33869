package org.rpg4j.sparse.kernel;

import java.util.Arrays;

/**
 * 2x2 max pooling with stride 2 and no padding (VGG's pools) on one plane stored in any row width: output
 * {@code (oy, ox)} is the largest of input rows {@code 2 oy, 2 oy + 1} and columns {@code 2 ox, 2 ox + 1}; an odd
 * last input row or column is dropped (DL4J's Truncate mode). A NaN in a window gives NaN, as {@code Math.max}.
 */
public final class MaxPool2x2 {

    private MaxPool2x2() {
    }

    /**
     * Pools one plane.
     *
     * @param source the input plane's values; not modified
     * @param sourceBase index of input pixel (0, 0)
     * @param sourceRowWidth floats from one input row to the next, &ge; {@code width}
     * @param height input rows, &ge; 2
     * @param width input columns, &ge; 2
     * @param target receives the {@code height / 2} by {@code width / 2} outputs
     * @param targetBase index of output pixel (0, 0)
     * @param targetRowWidth floats from one output row to the next, &ge; {@code width / 2}
     * @throws IllegalArgumentException if a size is below its bound, an array is null, or the plane or its outputs
     *     reach outside their array
     */
    public static void plane(float[] source, int sourceBase, int sourceRowWidth, int height, int width,
                             float[] target, int targetBase, int targetRowWidth) {
        checkPlane(source, sourceBase, sourceRowWidth, height, width, target, targetBase, targetRowWidth);
        int outWidth = width / 2;
        for (int oy = 0; oy < height / 2; oy++) {
            int top = sourceBase + 2 * oy * sourceRowWidth;
            int bottom = top + sourceRowWidth;
            int o = targetBase + oy * targetRowWidth;
            for (int ox = 0; ox < outWidth; ox++) {
                target[o + ox] = Math.max(Math.max(source[top + 2 * ox], source[top + 2 * ox + 1]), Math.max(
                        source[bottom + 2 * ox], source[bottom + 2 * ox + 1]));
            }
        }
    }

    /**
     * Zeroes every position of one stored plane that is not an image pixel (the plane's image pixels are left as
     * they are).
     *
     * @param target the stored planes
     * @param planeBase index of the plane's first stored float
     * @param layout the planes' layout
     * @throws IllegalArgumentException if {@code target} or {@code layout} is null, or the plane
     *     {@code [planeBase, planeBase + layout.planeSize())} reaches outside {@code target}
     */
    public static void clearBorder(float[] target, int planeBase, PlaneLayout layout) {
        if (target == null || layout == null) {
            throw new IllegalArgumentException("target and layout must not be null, got " + (target == null ? "null"
                    : "an array") + " and " + layout);
        }
        if (planeBase < 0 || (long) planeBase + layout.planeSize() > target.length) {
            throw new IllegalArgumentException("the plane [planeBase, planeBase + " + layout.planeSize()
                    + ") must lie in target's " + target.length + " floats, got planeBase " + planeBase);
        }
        int start = planeBase + layout.origin();
        Arrays.fill(target, planeBase, start, 0f);
        int gap = layout.rowWidth() - layout.width();
        for (int y = 0; y < layout.height(); y++) {
            int after = start + y * layout.rowWidth() + layout.width();
            int end = Math.min(after + gap, planeBase + layout.planeSize());
            Arrays.fill(target, after, end, 0f);
        }
        Arrays.fill(target, Math.min(start + layout.height() * layout.rowWidth(), planeBase + layout.planeSize()),
                planeBase + layout.planeSize(), 0f);
    }

    private static void checkPlane(float[] source, int sourceBase, int sourceRowWidth, int height, int width,
                                   float[] target, int targetBase, int targetRowWidth) {
        if (height < 2 || width < 2 || sourceRowWidth < width || targetRowWidth < width / 2) {
            throw new IllegalArgumentException("height and width must be >= 2, sourceRowWidth >= width and "
                    + "targetRowWidth >= width / 2, got height " + height + ", width " + width + ", sourceRowWidth "
                    + sourceRowWidth + ", targetRowWidth " + targetRowWidth);
        }
        if (source == null || target == null) {
            throw new IllegalArgumentException("source and target must not be null");
        }
        // the last float read and the last written: row 2 * (height / 2) - 1, column 2 * (width / 2) - 1
        long lastRead = sourceBase + (long) (2 * (height / 2) - 1) * sourceRowWidth + 2 * (width / 2) - 1;
        long lastWritten = targetBase + (long) (height / 2 - 1) * targetRowWidth + width / 2 - 1;
        if (sourceBase < 0 || lastRead >= source.length) {
            throw new IllegalArgumentException("the input plane must lie in source's " + source.length
                    + " floats, got sourceBase " + sourceBase + " and last index " + lastRead);
        }
        if (targetBase < 0 || lastWritten >= target.length) {
            throw new IllegalArgumentException("the outputs must lie in target's " + target.length
                    + " floats, got targetBase " + targetBase + " and last index " + lastWritten);
        }
    }
}
