package org.rpg4j.dl4j.structured.data;

import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.rpg4j.dl4j.activations.PlainConvolution;
import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.dl4j.graph.NetworkNode;
import org.rpg4j.structured.ChannelGroup;
import org.rpg4j.structured.ChannelSlice;
import org.rpg4j.structured.SliceRole;

/** Whether Channel Pruning can reconstruct a group: its channels are the whole input of one plain convolution. */
final class ConsumerCheck {
    private ConsumerCheck() {}

    /** @return why the group cannot be reconstructed, or empty if it can */
    static Optional<String> reasonAgainst(ChannelDependencies deps, ChannelGroup g) {
        List<ChannelSlice> consumers = g.slices(SliceRole.CONSUMER).stream().filter(s -> s.param().equals("W")).toList();
        if (consumers.size() != 1) {
            return Optional.of("read by " + consumers.size() + " layers (residual or branching): left whole");
        }
        ChannelSlice s = consumers.get(0);
        NetworkNode node = deps.graph().node(s.layer());
        if (!PlainConvolution.is(node.layer())) {
            return Optional.of("read by " + node.type() + " '" + s.layer() + "', not a plain convolution");
        }
        if (s.axis() != 1 || s.offset() != 0 || s.blockSize() != 1 || s.blocks() != g.size()
                || ((ConvolutionLayer) node.layer()).getNIn() != g.size()) {
            return Optional.of("convolution '" + s.layer() + "' reads more than this group's channels");
        }
        for (int i = 0; i < s.blocks(); i++) {
            if (s.channelAt(i) != i) {
                return Optional.of("convolution '" + s.layer() + "' reads the channels out of order");
            }
        }
        return Optional.empty();
    }

    /** @return the single consumer of a group that passed {@link #reasonAgainst} */
    static String consumer(ChannelGroup g) {
        return g.slices(SliceRole.CONSUMER).stream().filter(s -> s.param().equals("W")).findFirst().orElseThrow()
                .layer();
    }
}
