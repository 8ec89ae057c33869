package org.rpg4j.structured;

/** What a {@link ChannelSlice} is to its group's channels. */
public enum SliceRole {
    /**
     * The output axis of a weight (a convolution's filters, a dense layer's output columns) or its
     * bias: the tensor that creates the channel values. Filter-norm criteria read these.
     */
    PRODUCER,
    /** The input axis of the next weight, which reads the channel values. */
    CONSUMER,
    /**
     * A per-channel parameter of a layer the channel passes through unchanged in number: batch-norm
     * gamma, beta and statistics; a depthwise convolution's weights and bias.
     */
    PASS_THROUGH
}
