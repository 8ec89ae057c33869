package org.rpg4j.dl4j.deploy.format;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** The two DL4J network classes the sparse model file holds, under the names the manifest uses. */
enum NetworkKind {
    MULTI_LAYER_NETWORK("MultiLayerNetwork"),
    COMPUTATION_GRAPH("ComputationGraph");

    private final String manifestName;

    NetworkKind(String manifestName) {
        this.manifestName = manifestName;
    }

    String manifestName() {
        return manifestName;
    }

    /**
     * @throws IllegalArgumentException if the model is neither a MultiLayerNetwork nor a ComputationGraph
     */
    static NetworkKind of(Model network) {
        if (network instanceof MultiLayerNetwork) {
            return MULTI_LAYER_NETWORK;
        }
        if (network instanceof ComputationGraph) {
            return COMPUTATION_GRAPH;
        }
        throw new IllegalArgumentException("network must be a MultiLayerNetwork or ComputationGraph, got "
                + (network == null ? "null" : network.getClass().getName()));
    }

    /** @return the kind with this manifest name, or null */
    static NetworkKind fromManifestName(String name) {
        for (NetworkKind kind : values()) {
            if (kind.manifestName.equals(name)) {
                return kind;
            }
        }
        return null;
    }
}
