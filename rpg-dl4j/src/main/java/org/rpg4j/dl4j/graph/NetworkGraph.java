package org.rpg4j.dl4j.graph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An initialised {@code MultiLayerNetwork} or {@code ComputationGraph} as a list of
 * {@link NetworkNode}s in topological order. Reads the network; modifies nothing.
 */
public final class NetworkGraph {
    /** Name of a {@code MultiLayerNetwork}'s input. */
    public static final String MLN_INPUT = "input";

    private final Model model;
    private final List<String> inputs;
    private final Map<String, NetworkNode> nodes;

    private NetworkGraph(Model model, List<String> inputs, Map<String, NetworkNode> nodes) {
        this.model = model;
        this.inputs = List.copyOf(inputs);
        this.nodes = nodes;
    }

    /**
     * @param model an initialised {@code MultiLayerNetwork} or {@code ComputationGraph}
     * @return its nodes
     * @throws IllegalArgumentException if {@code model} is null or of another type
     * @throws IllegalStateException if it is not initialised
     */
    public static NetworkGraph of(Model model) {
        if (model instanceof MultiLayerNetwork mln) {
            return ofMultiLayer(mln);
        }
        if (model instanceof ComputationGraph cg) {
            return ofGraph(cg);
        }
        throw new IllegalArgumentException("net must be a MultiLayerNetwork or a ComputationGraph, got "
                + (model == null ? "null" : model.getClass().getName()));
    }

    private static NetworkGraph ofMultiLayer(MultiLayerNetwork net) {
        if (net.getLayers() == null) {
            throw new IllegalStateException("the MultiLayerNetwork is not initialised: call net.init() first");
        }
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        Map<String, NetworkNode> nodes = new LinkedHashMap<>();
        String previous = MLN_INPUT;
        int n = net.getLayers().length;
        for (int i = 0; i < n; i++) {
            org.deeplearning4j.nn.api.Layer layer = net.getLayer(i);
            String name = layerName(conf.getConf(i).getLayer().getLayerName(), i);
            nodes.put(name, new NetworkNode(name, List.of(previous), conf.getConf(i).getLayer(), null,
                    conf.getInputPreProcess(i), layer.paramTable(), i == n - 1));
            previous = name;
        }
        return new NetworkGraph(net, List.of(MLN_INPUT), nodes);
    }

    private static NetworkGraph ofGraph(ComputationGraph net) {
        if (net.getLayers() == null) {
            throw new IllegalStateException("the ComputationGraph is not initialised: call net.init() first");
        }
        ComputationGraphConfiguration conf = net.getConfiguration();
        Map<String, NetworkNode> nodes = new LinkedHashMap<>();
        List<String> outputs = conf.getNetworkOutputs();
        for (String name : conf.getTopologicalOrderStr()) {
            GraphVertex v = conf.getVertices().get(name);
            if (v == null || conf.getNetworkInputs().contains(name)) {
                continue;
            }
            List<String> in = conf.getVertexInputs().getOrDefault(name, List.of());
            if (v instanceof LayerVertex lv) {
                Map<String, INDArray> params = net.getLayer(name).paramTable();
                nodes.put(name, new NetworkNode(name, in, lv.getLayerConf().getLayer(), v, lv.getPreProcessor(),
                        params, outputs.contains(name)));
            } else {
                nodes.put(name, new NetworkNode(name, in, null, v, null, Map.of(), outputs.contains(name)));
            }
        }
        return new NetworkGraph(net, conf.getNetworkInputs(), nodes);
    }

    private static String layerName(String name, int index) {
        return name == null ? "layer" + index : name;
    }

    /** @return the network */
    public Model model() {
        return model;
    }

    /** @return the names of the network inputs */
    public List<String> inputs() {
        return inputs;
    }

    /** @return the nodes in topological order (network inputs excluded) */
    public List<NetworkNode> nodes() {
        return new ArrayList<>(nodes.values());
    }

    /**
     * @param name a node name
     * @return the node
     * @throws IllegalArgumentException if there is no node of that name
     */
    public NetworkNode node(String name) {
        NetworkNode n = nodes.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no layer or vertex named '" + name + "' in the network; known: "
                    + nodes.keySet());
        }
        return n;
    }

    /**
     * @param name a layer or vertex name
     * @return whether a node of that name exists
     */
    public boolean has(String name) {
        return nodes.containsKey(name);
    }
}
