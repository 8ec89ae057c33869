package org.rpg4j.dl4j.graph;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One layer or vertex of a DL4J network, in a form common to {@code MultiLayerNetwork} and
 * {@code ComputationGraph}.
 *
 * @param name layer or vertex name (a {@code MultiLayerNetwork}'s layer names, {@code "layer0"}, ... by default)
 * @param inputs names of the nodes (or network inputs) it reads, in order
 * @param layer the layer configuration, or null for a vertex without a layer
 * @param vertex the graph vertex configuration, or null for a layer of a {@code MultiLayerNetwork}
 * @param preProcessor the input preprocessor of a layer, or null
 * @param params the layer's parameters by key (live views of the network's parameters; empty for vertices)
 * @param networkOutput whether this node's output is an output of the network
 */
public record NetworkNode(String name, List<String> inputs, Layer layer, GraphVertex vertex,
                          InputPreProcessor preProcessor, Map<String, INDArray> params, boolean networkOutput) {
    /**
     * Copies the lists.
     *
     * @param name layer or vertex name
     * @param inputs names of the nodes (or network inputs) it reads, in order; not null, copied
     * @param layer the layer configuration, or null for a vertex without a layer
     * @param vertex the graph vertex configuration, or null for a layer of a {@code MultiLayerNetwork}
     * @param preProcessor the input preprocessor of a layer, or null
     * @param params the layer's parameters by key (live views); not null, the map (not the arrays) is copied
     * @param networkOutput whether this node's output is an output of the network
     */
    public NetworkNode {
        inputs = List.copyOf(inputs);
        params = Map.copyOf(params);
    }

    /** @return the simple class name of the layer or vertex, for reports */
    public String type() {
        if (layer != null) {
            return layer.getClass().getSimpleName();
        }
        return vertex == null ? "?" : vertex.getClass().getSimpleName();
    }
}
