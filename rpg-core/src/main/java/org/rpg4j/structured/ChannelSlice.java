package org.rpg4j.structured;

import java.util.Arrays;

/**
 * A run of indices along one axis of one parameter tensor, and the group channel each index belongs
 * to: index {@code offset + i * blockSize + k} (for {@code 0 <= k < blockSize}) belongs to channel
 * {@code channels[i]} of the owning {@link ChannelGroup}.
 *
 * <p>Examples: a convolution's filters {@code W [out, in, kh, kw]} give {@code axis 0, offset 0,
 * blockSize 1, channels 0..out-1}; the dense layer after a flatten of {@code [c, h, w]} maps input
 * rows of {@code W [nIn, nOut]} in blocks of {@code h * w} ({@code axis 0, blockSize h*w}); the
 * second input of a concatenation starts at the first input's width ({@code offset}); an option-A
 * zero-padded shortcut gives two slices of the same channels at offsets 0 and {@code c}.
 *
 * @param layer the layer's name in its network
 * @param param the parameter key in that layer ({@code "W"}, {@code "b"}, {@code "gamma"}, ...)
 * @param axis axis of the parameter's logical shape (as the framework reports it)
 * @param offset first index of the run, {@code >= 0}
 * @param blockSize consecutive indices per channel, {@code >= 1}
 * @param channels group channel of each block, each in {@code [0, group size)}; copied
 * @param role what the slice is to the channel
 */
public record ChannelSlice(String layer, String param, int axis, int offset, int blockSize, int[] channels,
                           SliceRole role) {
    /**
     * Validates the slice; {@code channels} is copied.
     *
     * @param layer the layer's name in its network, not null
     * @param param the parameter key in that layer, not null
     * @param axis axis of the parameter's logical shape, {@code >= 0}
     * @param offset first index of the run, {@code >= 0}
     * @param blockSize consecutive indices per channel, {@code >= 1}
     * @param channels group channel of each block, each {@code >= 0}; not null
     * @param role what the slice is to the channel, not null
     * @throws IllegalArgumentException if a value is null or out of range
     */
    public ChannelSlice {
        Checks.notNull("layer", layer);
        Checks.notNull("param", param);
        Checks.notNull("channels", channels);
        Checks.notNull("role", role);
        Checks.atLeast("axis", axis, 0);
        Checks.atLeast("offset", offset, 0);
        Checks.atLeast("blockSize", blockSize, 1);
        for (int c : channels) {
            Checks.atLeast("channel of slice " + layer + "/" + param, c, 0);
        }
        channels = channels.clone();
    }

    /** @return a copy of the group channel of each block */
    @Override
    public int[] channels() {
        return channels.clone();
    }

    /** @return number of blocks (without copying the channels) */
    public int blocks() {
        return channels.length;
    }

    /** @return number of tensor indices the slice covers: {@code channels.length * blockSize} */
    public int length() {
        return channels.length * blockSize;
    }

    /**
     * @param i block index in {@code [0, blocks())}
     * @return the group channel of block {@code i} (no copy)
     * @throws ArrayIndexOutOfBoundsException if {@code i} is outside {@code [0, blocks())}
     */
    public int channelAt(int i) {
        return channels[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelSlice s && s.layer.equals(layer) && s.param.equals(param) && s.axis == axis
                && s.offset == offset && s.blockSize == blockSize && Arrays.equals(s.channels, channels)
                && s.role == role;
    }

    @Override
    public int hashCode() {
        return ((layer.hashCode() * 31 + param.hashCode()) * 31 + axis * 7 + offset) * 31 + Arrays.hashCode(channels);
    }

    @Override
    public String toString() {
        return layer + "/" + param + "[axis " + axis + ", offset " + offset + ", " + channels.length + " x "
                + blockSize + ", " + role + "]";
    }
}
