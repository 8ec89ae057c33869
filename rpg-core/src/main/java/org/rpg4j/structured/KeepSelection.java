package org.rpg4j.structured;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which channels of each group survive: one boolean keep mask per group id ({@code true} = keep).
 * Groups without a mask keep every channel. Immutable; build with {@link #keepAll(List)} and
 * {@link #with(int, boolean[])}.
 */
public final class KeepSelection {
    private final Map<Integer, boolean[]> masks;

    private KeepSelection(Map<Integer, boolean[]> masks) {
        this.masks = Collections.unmodifiableMap(masks);
    }

    /** @return a selection that keeps every channel of every group */
    public static KeepSelection keepAll() {
        return new KeepSelection(new TreeMap<>());
    }

    /**
     * @param groups the groups of one analysis
     * @return a selection holding an all-true mask for each group
     */
    public static KeepSelection keepAll(List<ChannelGroup> groups) {
        Map<Integer, boolean[]> m = new TreeMap<>();
        for (ChannelGroup g : Checks.notNull("groups", groups)) {
            boolean[] keep = new boolean[g.size()];
            Arrays.fill(keep, true);
            m.put(g.id(), keep);
        }
        return new KeepSelection(m);
    }

    /**
     * @param groupId the group
     * @param keep keep mask of length group size; copied
     * @return a new selection with that group's mask replaced
     * @throws IllegalArgumentException if {@code keep} is null or keeps no channel
     */
    public KeepSelection with(int groupId, boolean[] keep) {
        Checks.notNull("keep", keep);
        if (count(keep) == 0) {
            throw new IllegalArgumentException("keep mask of group " + groupId + " keeps no channel of "
                    + keep.length + ": every layer needs at least one channel");
        }
        Map<Integer, boolean[]> m = new TreeMap<>(masks);
        m.put(groupId, keep.clone());
        return new KeepSelection(m);
    }

    /**
     * @param group a group
     * @return a copy of its keep mask (all true if none was set)
     * @throws IllegalArgumentException if the stored mask's length is not the group's size
     */
    public boolean[] keep(ChannelGroup group) {
        boolean[] keep = masks.get(group.id());
        if (keep == null) {
            keep = new boolean[group.size()];
            Arrays.fill(keep, true);
            return keep;
        }
        if (keep.length != group.size()) {
            throw new IllegalArgumentException("keep mask of group " + group.id() + " has length " + keep.length
                    + ", the group has " + group.size() + " channels");
        }
        return keep.clone();
    }

    /** @return group ids that have a mask, ascending */
    public List<Integer> groupIds() {
        return List.copyOf(masks.keySet());
    }

    /**
     * @param keep a keep mask (true = the channel stays); not modified
     * @return how many entries of {@code keep} are true
     */
    public static int count(boolean[] keep) {
        int n = 0;
        for (boolean k : keep) {
            n += k ? 1 : 0;
        }
        return n;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("KeepSelection{");
        masks.forEach((id, k) -> sb.append(id).append(": ").append(count(k)).append('/').append(k.length).append(' '));
        return sb.append('}').toString();
    }
}
