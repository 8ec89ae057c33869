package org.rpg4j.dl4j.activations;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.dl4j.graph.NetworkGraph;
import org.rpg4j.dl4j.graph.NetworkNode;

/** One inference-mode forward pass, with every node's output by the names {@link NetworkGraph} uses. */
public final class NetworkActivations {
    private NetworkActivations() {}

    /**
     * @param graph the network's nodes
     * @param features one input batch {@code [n, ...]}; not modified
     * @return the output of every node and of the network input ({@link NetworkGraph#MLN_INPUT} or the
     *     graph's input name), detached from any workspace; the network's parameters are not modified
     * @throws IllegalArgumentException if the graph has more than one input
     */
    public static Map<String, INDArray> forward(NetworkGraph graph, INDArray features) {
        Model model = graph.model();
        if (model instanceof MultiLayerNetwork mln) {
            List<INDArray> acts = mln.feedForward(features, false);
            Map<String, INDArray> out = new HashMap<>();
            out.put(NetworkGraph.MLN_INPUT, acts.get(0));
            List<NetworkNode> nodes = graph.nodes();
            for (int i = 0; i < nodes.size(); i++) {
                out.put(nodes.get(i).name(), acts.get(i + 1));
            }
            return out;
        }
        if (graph.inputs().size() != 1) {
            throw new IllegalArgumentException("activation statistics need a network with one input, got inputs "
                    + graph.inputs());
        }
        return new HashMap<>(((ComputationGraph) model).feedForward(new INDArray[] {features}, false, false));
    }
}
