package org.rpg4j.dl4j.structured;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.dl4j.graph.NetworkGraph;
import org.rpg4j.dl4j.graph.NetworkNode;

/**
 * Size and cost of one layer: output channels, parameters and multiply-adds per image.
 *
 * @param layer layer name
 * @param type simple class name of the layer configuration
 * @param channels output channels (or units); 0 for layers without weights
 * @param params parameters of the layer (weights, biases, batch-norm parameters and statistics)
 * @param macs multiply-adds per image of its weights ({@code -1} if the input shape is unknown)
 */
public record LayerCost(String layer, String type, long channels, long params, long macs) {

    /**
     * @param net an initialised network
     * @param inputShape {@code [channels, height, width]} of every network input, or empty
     * @return the cost of every layer with parameters, in network order
     */
    static Map<String, LayerCost> of(Model net, Optional<int[]> inputShape) {
        NetworkGraph graph = NetworkGraph.of(net);
        Map<String, InputType> types = inputShape.map(s -> activationTypes(net, graph, s)).orElse(Map.of());
        Map<String, LayerCost> out = new LinkedHashMap<>();
        for (NetworkNode n : graph.nodes()) {
            if (n.params().isEmpty()) {
                continue;
            }
            long params = n.params().values().stream().mapToLong(INDArray::length).sum();
            long channels = n.layer() instanceof org.deeplearning4j.nn.conf.layers.FeedForwardLayer f ? f.getNOut() : 0;
            long macs = inputShape.isEmpty() ? -1 : macs(n, types.get(n.name()), types.get(n.inputs().get(0)));
            out.put(n.name(), new LayerCost(n.name(), n.type(), channels, params, macs));
        }
        return out;
    }

    private static Map<String, InputType> activationTypes(Model net, NetworkGraph graph, int[] s) {
        InputType in = InputType.convolutional(s[1], s[2], s[0]);
        Map<String, InputType> types = new LinkedHashMap<>();
        if (net instanceof MultiLayerNetwork m) {
            List<InputType> list = m.getLayerWiseConfigurations().getLayerActivationTypes(in);
            List<NetworkNode> nodes = graph.nodes();
            types.put(NetworkGraph.MLN_INPUT, in);
            for (int i = 0; i < nodes.size(); i++) {
                types.put(nodes.get(i).name(), list.get(i));
            }
            return types;
        }
        ComputationGraph cg = (ComputationGraph) net;
        InputType[] inputs = new InputType[graph.inputs().size()];
        java.util.Arrays.fill(inputs, in);
        types.putAll(cg.getConfiguration().getLayerActivationTypes(inputs));
        for (String i : graph.inputs()) {
            types.put(i, in);
        }
        return types;
    }

    /** Multiply-adds of the weights: every weight is used once per output (or input, for deconvolution) position. */
    private static long macs(NetworkNode n, InputType out, InputType in) {
        INDArray w = n.params().get("W");
        if (w == null || n.layer() instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization) {
            return 0;
        }
        long weights = w.length() + (n.params().containsKey("pW") ? n.params().get("pW").length() : 0);
        if (n.layer() instanceof org.deeplearning4j.nn.conf.layers.Deconvolution2D) {
            return weights * positions(in);
        }
        return weights * positions(out);
    }

    private static long positions(InputType t) {
        if (t instanceof InputType.InputTypeConvolutional c) {
            return c.getHeight() * c.getWidth();
        }
        return 1;
    }
}
