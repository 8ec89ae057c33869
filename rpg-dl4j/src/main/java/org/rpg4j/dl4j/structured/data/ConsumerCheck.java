package org.rpg4j.dl4j.structured.data;

import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.dl4j.activations.PlainConvolution;
import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.dl4j.graph.NetworkNode;
import org.rpg4j.structured.ChannelGroup;
import org.rpg4j.structured.ChannelSlice;
import org.rpg4j.structured.SliceRole;

/**
 * Whether Channel Pruning can reconstruct a group: its channels are the whole input of one plain
 * convolution, or of one dense or output layer (after a flatten, channel {@code c} owns inputs
 * {@code c*hw .. (c+1)*hw - 1}, which is a convolution whose kernel covers the whole map).
 *
 * @param layer the consumer's name
 * @param dense whether it is a dense layer
 * @param blockSize inputs per channel ({@code h * w} after a flatten; 1 for a convolution)
 */
record ConsumerCheck(String layer, boolean dense, int blockSize) {

    /**
     * @param deps the analysis
     * @param g an unlocked group
     * @param reason receives why there is no consumer Channel Pruning can refit
     * @return the consumer, or empty
     */
    static Optional<ConsumerCheck> of(ChannelDependencies deps, ChannelGroup g, StringBuilder reason) {
        List<ChannelSlice> consumers = g.slices(SliceRole.CONSUMER).stream().filter(s -> s.param().equals("W"))
                .toList();
        if (consumers.size() != 1) {
            reason.append("read by ").append(consumers.size()).append(" layers (residual or branching): left whole");
            return Optional.empty();
        }
        ChannelSlice s = consumers.get(0);
        NetworkNode node = deps.graph().node(s.layer());
        boolean conv = PlainConvolution.is(node.layer());
        // an output layer's W is laid out as a dense layer's; its pre-activation is what is reconstructed
        boolean dense = node.layer() != null && (node.layer().getClass() == DenseLayer.class
                || node.layer().getClass() == OutputLayer.class);
        if (!conv && !dense) {
            reason.append("read by ").append(node.type()).append(" '").append(s.layer())
                    .append("', not a plain convolution or dense layer");
            return Optional.empty();
        }
        int axis = conv ? 1 : 0;
        if (s.axis() != axis || s.offset() != 0 || s.blocks() != g.size() || (conv && s.blockSize() != 1)
                || ((FeedForwardLayer) node.layer()).getNIn() != (long) g.size() * s.blockSize() || !inOrder(s)) {
            reason.append("layer '").append(s.layer()).append(
                    "' reads more than this group's channels, or out of order");
            return Optional.empty();
        }
        return Optional.of(new ConsumerCheck(s.layer(), dense, s.blockSize()));
    }

    private static boolean inOrder(ChannelSlice s) {
        for (int i = 0; i < s.blocks(); i++) {
            if (s.channelAt(i) != i) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param weights the consumer's {@code W}: {@code [out, C, kh, kw]}, or a dense {@code [C*hw, out]}
     * @return the weights as a convolution's {@code [out, C, kh, kw]} (a dense layer's as {@code [out, C, hw, 1]})
     */
    INDArray asConvolution(INDArray weights) {
        if (!dense) {
            return weights;
        }
        long out = weights.size(1);
        return weights.transpose().dup('c').reshape('c', out, weights.size(0) / blockSize, blockSize, 1);
    }

    /**
     * @param refitted {@code [out, K, kh, kw]}
     * @return the same weights in the consumer's own layout
     */
    INDArray fromConvolution(INDArray refitted) {
        if (!dense) {
            return refitted;
        }
        long out = refitted.size(0);
        return refitted.reshape('c', out, refitted.length() / out).transpose();
    }
}
