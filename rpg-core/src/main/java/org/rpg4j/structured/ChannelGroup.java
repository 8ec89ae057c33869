package org.rpg4j.structured;

import java.util.List;
import java.util.Optional;

/**
 * A set of channels that must be removed together, and every tensor slice they touch: a
 * convolution's filters, the batch-norm parameters after it, the next layers' input channels, and
 * everything joined to them by element-wise vertices or concatenations. Removing channel {@code c}
 * of the group removes, in every slice, each block whose channel is {@code c}.
 *
 * <p>A group is locked when the analysis met something it cannot reason about on its way (an
 * unknown layer, the network input or output, a channel-mixing activation): its channels are never
 * removed, and {@link #lockReason()} says why.
 *
 * @param id index of the group in its analysis, {@code >= 0}
 * @param size number of channels, {@code >= 1}
 * @param producers names of the layers whose outputs create these channels (in network order)
 * @param slices every parameter slice indexed by these channels; copied
 * @param lockReason why the group may not be pruned, or empty
 */
public record ChannelGroup(int id, int size, List<String> producers, List<ChannelSlice> slices,
                           Optional<String> lockReason) {
    /**
     * Validates the group; the lists are copied.
     *
     * @param id index of the group in its analysis, {@code >= 0}
     * @param size number of channels, {@code >= 1}
     * @param producers names of the layers whose outputs create these channels, not null
     * @param slices every parameter slice indexed by these channels, not null; each channel {@code < size}
     * @param lockReason why the group may not be pruned, or empty; not null
     * @throws IllegalArgumentException if a value is null, out of range, or a slice names a channel {@code >= size}
     */
    public ChannelGroup {
        Checks.atLeast("id", id, 0);
        Checks.atLeast("size", size, 1);
        producers = List.copyOf(Checks.notNull("producers", producers));
        slices = List.copyOf(Checks.notNull("slices", slices));
        Checks.notNull("lockReason", lockReason);
        for (ChannelSlice s : slices) {
            for (int i = 0; i < s.blocks(); i++) {
                if (s.channelAt(i) >= size) {
                    throw new IllegalArgumentException("slice " + s + " names channel " + s.channelAt(i)
                            + " of group " + id + ", which has " + size + " channels");
                }
            }
        }
    }

    /** @return whether the group may not be pruned */
    public boolean locked() {
        return lockReason.isPresent();
    }

    /**
     * @param role the role to keep
     * @return the slices with that role, in this group's order (possibly empty)
     */
    public List<ChannelSlice> slices(SliceRole role) {
        return slices.stream().filter(s -> s.role() == role).toList();
    }

    /** @return a short name: the first producer (or {@code "group <id>"}) */
    public String name() {
        return producers.isEmpty() ? "group " + id : producers.get(0);
    }

    @Override
    public String toString() {
        return "ChannelGroup{" + id + " '" + name() + "', " + size + " channels, " + slices.size() + " slices"
                + lockReason.map(r -> ", locked: " + r).orElse("") + "}";
    }
}
