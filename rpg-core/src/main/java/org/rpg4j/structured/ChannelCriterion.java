package org.rpg4j.structured;

/**
 * Scores the channels of one group: higher means more important, lower channels are removed first.
 *
 * <p>How a criterion plugs in (for implementers of L1/L2 filter norms, Network Slimming's
 * batch-norm scale, SSL's group norms, activation statistics):
 * <ul>
 *   <li>read the group's tensors through {@code tensors}: {@link ChannelGroup#slices(SliceRole)}
 *       with {@link SliceRole#PRODUCER} gives the filters (for a filter norm, sum over every
 *       producer slice, since an element-wise add joins several producers into one group), and
 *       {@link SliceRole#PASS_THROUGH} slices with param {@code "gamma"} give batch-norm scales;
 *   <li>blocks of a slice map to channels by {@link ChannelSlice#channelAt(int)}; the same channel can
 *       appear in several blocks (option-A shortcuts, depth multipliers, flattened feature maps);
 *   <li>return one finite score per channel, without modifying any tensor; the caller never asks
 *       about locked groups;
 *   <li>{@link ChannelSelection#perGroup} turns the scores into keep masks; a global ranking across
 *       groups compares the scores of different groups directly, so normalise them if the
 *       criterion's scale differs between layers;
 *   <li>name the criterion with {@link #name()} so configurations can store it (see
 *       {@code StructuredConfig} in rpg-dl4j, which maps names to criteria).
 * </ul>
 */
public interface ChannelCriterion {
    /**
     * @param group an unlocked group
     * @param tensors the network's tensors
     * @return {@code group.size()} finite scores, higher = keep
     */
    double[] scores(ChannelGroup group, TensorSource tensors);

    /** @return a stable, lower-case name (e.g. {@code "l1-filter"}), stored in configurations */
    String name();
}
