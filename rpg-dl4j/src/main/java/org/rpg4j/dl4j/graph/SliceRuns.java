package org.rpg4j.dl4j.graph;

import java.util.List;
import org.rpg4j.structured.ChannelSlice;

/** Cuts one parameter axis into {@link ChannelSlice}s: one per run of consecutive indices in one group. */
final class SliceRuns {
    private SliceRuns() {}

    /** Appends the slices of {@code axis} to {@code slicesByGroup.get(group)}. */
    static void split(TensorAxis axis, PositionChannels channels, List<List<ChannelSlice>> slicesByGroup) {
        int[] group = channels.group();
        int start = 0;
        while (start < group.length) {
            int end = start;
            while (end < group.length && group[end] == group[start]) {
                end++;
            }
            slicesByGroup.get(group[start]).add(slice(axis, channels.channel(), start, end));
            start = end;
        }
    }

    /** A slice of indices {@code [start, end)}, in blocks when each channel repeats the same number of times. */
    private static ChannelSlice slice(TensorAxis axis, int[] channel, int start, int end) {
        int block = 1;
        while (start + block < end && channel[start + block] == channel[start]) {
            block++;
        }
        if (!blocksOf(channel, start, end, block)) {
            block = 1;
        }
        int[] channels = new int[(end - start) / block];
        for (int i = 0; i < channels.length; i++) {
            channels[i] = channel[start + i * block];
        }
        return new ChannelSlice(axis.layer(), axis.param(), axis.axis(), start, block, channels, axis.role());
    }

    private static boolean blocksOf(int[] channel, int start, int end, int block) {
        if ((end - start) % block != 0) {
            return false;
        }
        for (int i = start; i < end; i++) {
            if (channel[i] != channel[start + (i - start) / block * block]) {
                return false;
            }
        }
        return true;
    }
}
