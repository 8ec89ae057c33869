package org.rpg4j.sparse.kernel;

/**
 * Activations of {@value #GROUP} images interleaved: {@code [channel][border + row + border][border + column +
 * border][GROUP images]}, so that one pixel of all the group's images is one run of {@value #GROUP} floats (one
 * AVX-512 vector). The border holds zeros (a convolution's padding, written once by whoever allocates the array
 * and never overwritten); a convolution reading this layout then needs no bounds checks and computes no padded
 * pixels. A batch is stored as consecutive groups of {@link #groupSize()} floats; a partial last group is
 * zero-filled.
 *
 * @param channels channels, &ge; 1
 * @param height rows without the border, &ge; 1
 * @param width columns without the border, &ge; 1
 * @param border zero rows above and below and zero columns left and right, &ge; 0
 */
public record InterleavedLayout(int channels, int height, int width, int border) {

    /** Images per group: the float lanes of one AVX-512 vector. */
    public static final int GROUP = 16;

    /**
     * Validates the sizes.
     *
     * @param channels channels, &ge; 1
     * @param height rows without the border, &ge; 1
     * @param width columns without the border, &ge; 1
     * @param border zero rows and columns on each side, &ge; 0
     * @throws IllegalArgumentException if a size is below 1 or the border is negative
     */
    public InterleavedLayout {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("channels, height and width must be >= 1, got " + channels + ", "
                    + height + ", " + width);
        }
        if (border < 0) {
            throw new IllegalArgumentException("border must be >= 0, got " + border);
        }
        if ((long) channels * (height + 2L * border) * (width + 2L * border) * GROUP > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("layout " + channels + "x" + height + "x" + width + " with border "
                    + border + " does not fit one float[]");
        }
    }

    /** @return floats between two horizontally adjacent pixels' runs times the row: one padded row */
    public int rowStride() {
        return (width + 2 * border) * GROUP;
    }

    /** @return floats of one channel's padded plane */
    public int channelStride() {
        return (height + 2 * border) * rowStride();
    }

    /** @return floats of one group: {@code channels * channelStride()} */
    public int groupSize() {
        return channels * channelStride();
    }

    /**
     * @param batch images, &ge; 0
     * @return groups holding {@code batch} images: {@code ceil(batch / GROUP)}
     */
    public static int groups(int batch) {
        return (batch + GROUP - 1) / GROUP;
    }

    /**
     * @param channel channel
     * @param row row without the border
     * @param column column without the border
     * @return the index of the pixel's run within a group
     */
    public int index(int channel, int row, int column) {
        return channel * channelStride() + (row + border) * rowStride() + (column + border) * GROUP;
    }

    /**
     * Writes NCHW images into this layout; the border and the lanes of missing images are left as they are
     * (zeros in a fresh array).
     *
     * @param nchw {@code [batch, channels, height, width]}, not modified
     * @param batch images, &ge; 1
     * @param interleaved modified: {@code groups(batch) * groupSize()} floats
     * @throws IllegalArgumentException if the batch is below 1 or an array has the wrong length
     */
    public void interleave(float[] nchw, int batch, float[] interleaved) {
        checkArrays(nchw, batch, interleaved);
        for (int g = 0; g < groups(batch); g++) {
            int first = g * GROUP;
            copyIn(nchw, first, Math.min(GROUP, batch - first), interleaved, g * groupSize());
        }
    }

    /**
     * Reads NCHW images back from this layout.
     *
     * @param interleaved {@code groups(batch) * groupSize()} floats, not modified
     * @param batch images, &ge; 1
     * @param nchw modified: {@code [batch, channels, height, width]}
     * @throws IllegalArgumentException if the batch is below 1 or an array has the wrong length
     */
    public void deinterleave(float[] interleaved, int batch, float[] nchw) {
        checkArrays(nchw, batch, interleaved);
        for (int b = 0; b < batch; b++) {
            int group = b / GROUP * groupSize() + b % GROUP;
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < height; y++) {
                    int to = ((b * channels + c) * height + y) * width;
                    int from = group + index(c, y, 0);
                    for (int x = 0; x < width; x++) {
                        nchw[to + x] = interleaved[from + x * GROUP];
                    }
                }
            }
        }
    }

    /**
     * Writes up to {@value #GROUP} NCHW images into one group; lanes past {@code count} are left as they are.
     *
     * @param nchw {@code [batch, channels, height, width]}, not modified
     * @param first index of the first image to copy
     * @param count images to copy, in [1, GROUP]
     * @param group modified: the group's {@link #groupSize()} floats from index 0
     * @throws IllegalArgumentException if the images are not in {@code nchw}, the count is out of range or the group
     *     array is too short
     */
    public void interleaveGroup(float[] nchw, int first, int count, float[] group) {
        int image = channels * height * width;
        if (count < 1 || count > GROUP || first < 0 || nchw == null || (long) (first + count) * image > nchw.length) {
            throw new IllegalArgumentException("images first = " + first + ", count = " + count + " must be in nchw"
                    + " and count in [1, " + GROUP + "]");
        }
        if (group == null || group.length < groupSize()) {
            throw new IllegalArgumentException("group must have length >= groupSize() = " + groupSize() + ", got "
                    + (group == null ? "null" : group.length));
        }
        copyIn(nchw, first, count, group, 0);
    }

    /** Images {@code [first, first + count)} of {@code nchw} into the group starting at {@code group[base]}. */
    private void copyIn(float[] nchw, int first, int count, float[] group, int base) {
        int image = channels * height * width;
        for (int lane = 0; lane < count; lane++) {
            int from = (first + lane) * image;
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < height; y++) {
                    int to = base + index(c, y, 0) + lane;
                    for (int x = 0; x < width; x++) {
                        group[to + x * GROUP] = nchw[from++];
                    }
                }
            }
        }
    }

    private void checkArrays(float[] nchw, int batch, float[] interleaved) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        long plain = (long) batch * channels * height * width;
        if (nchw == null || nchw.length != plain) {
            throw new IllegalArgumentException("nchw must have length batch * channels * height * width = " + plain
                    + ", got " + (nchw == null ? "null" : nchw.length));
        }
        long grouped = (long) groups(batch) * groupSize();
        if (interleaved == null || interleaved.length != grouped) {
            throw new IllegalArgumentException("interleaved must have length groups(batch) * groupSize() = " + grouped
                    + ", got " + (interleaved == null ? "null" : interleaved.length));
        }
    }
}
