package org.rpg4j.dl4j.graph;

/**
 * The channel of each position of one activation (or of one parameter axis): position {@code i}
 * is channel {@code channel[i]} of group {@code group[i]}. Arrays are shared, not copied: callers
 * must not modify them.
 *
 * @param group group id of each position
 * @param channel channel within that group of each position
 */
public record PositionChannels(int[] group, int[] channel) {
    /** @return number of positions */
    public int size() {
        return group.length;
    }

    /**
     * @param keep keep masks indexed {@code [group id][channel]} (from {@link ChannelDependencies#keepMasks})
     * @return per position, whether it survives
     */
    public boolean[] kept(boolean[][] keep) {
        boolean[] out = new boolean[group.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = keep[group[i]][channel[i]];
        }
        return out;
    }

    /**
     * @param keep keep masks indexed {@code [group id][channel]} (from {@link ChannelDependencies#keepMasks})
     * @return how many positions survive: the number of true entries {@link #kept} would return
     */
    public int keptCount(boolean[][] keep) {
        int n = 0;
        for (int i = 0; i < group.length; i++) {
            n += keep[group[i]][channel[i]] ? 1 : 0;
        }
        return n;
    }
}
