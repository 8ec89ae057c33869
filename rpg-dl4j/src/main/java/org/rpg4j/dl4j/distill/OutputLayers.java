package org.rpg4j.dl4j.distill;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** The single output layer of a MultiLayerNetwork or ComputationGraph, as distillation needs it. */
final class OutputLayers {
    private OutputLayers() {}

    /**
     * @param net a MultiLayerNetwork or a ComputationGraph with one output
     * @param role "student" or "teacher", for messages
     * @return the configuration of its output layer, which DL4J reads at every step (so changing its
     *     loss or activation changes the running network)
     * @throws IllegalArgumentException if the network is of another type, has several outputs, or
     *     its output layer is not a dense output layer ({@code OutputLayer}-like)
     */
    static BaseOutputLayer of(Model net, String role) {
        Layer layer;
        if (net instanceof MultiLayerNetwork m) {
            layer = m.getOutputLayer();
        } else if (net instanceof ComputationGraph g) {
            if (g.getNumOutputArrays() != 1) {
                throw new IllegalArgumentException("the " + role + " must have exactly one output for distillation, "
                        + "got " + g.getNumOutputArrays() + " (" + g.getConfiguration().getNetworkOutputs() + ")");
            }
            layer = g.getOutputLayer(0);
        } else {
            throw new IllegalArgumentException("the " + role
                    + " must be a MultiLayerNetwork or a ComputationGraph, got "
                    + (net == null ? "null" : net.getClass().getName()));
        }
        if (!(layer.conf().getLayer() instanceof BaseOutputLayer out)) {
            throw new IllegalArgumentException("the " + role + "'s output layer must be a dense output layer (such as "
                    + "OutputLayer) for distillation, got " + layer.conf().getLayer().getClass().getName());
        }
        return out;
    }
}
