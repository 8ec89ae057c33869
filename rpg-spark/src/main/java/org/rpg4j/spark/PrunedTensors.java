package org.rpg4j.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.dl4j.PrunableLayers;
import org.rpg4j.dl4j.WeightSpec;
import org.rpg4j.prune.PrunableTensor;
import org.rpg4j.prune.PruningConfig;

/**
 * Finds the prunable weights of a network on the driver. A tensor is named by its key in the
 * network's parameter table ({@code "0_W"} in a {@code MultiLayerNetwork}, {@code "conv1_W"} in a
 * {@code ComputationGraph}), which is the same key on every executor's copy of the network.
 */
final class PrunedTensors {
    private PrunedTensors() {}

    /**
     * @param model an initialised {@code MultiLayerNetwork} or {@code ComputationGraph}; not modified
     * @param config selects layers by name and type and caps their sparsity
     * @param layers which layer configurations hold prunable weights
     * @return the tensors, in layer order
     * @throws IllegalArgumentException if the network has no selected prunable weight
     */
    static List<PrunableTensor> discover(Model model, PruningConfig config, PrunableLayers layers) {
        List<PrunableTensor> found = new ArrayList<>();
        Map<String, INDArray> params = model.paramTable();
        org.deeplearning4j.nn.api.Layer[] netLayers = netLayers(model);
        for (int i = 0; i < netLayers.length; i++) {
            Layer conf = netLayers[i].conf().getLayer();
            String type = conf.getClass().getSimpleName();
            String prefix = (model instanceof MultiLayerNetwork ? String.valueOf(i) : conf.getLayerName()) + "_";
            Optional<List<WeightSpec>> specs = layers.weightsOf(conf);
            if (specs.isEmpty() || !config.layers().selects(conf.getLayerName(), type)) {
                continue;
            }
            for (WeightSpec spec : specs.get()) {
                INDArray w = params.get(prefix + spec.paramKey());
                if (w == null || w.rank() != spec.rank()) {
                    continue;
                }
                found.add(new PrunableTensor(prefix + spec.paramKey(), type, spec.kind(), w.shape(), w.dataType(),
                        spec.outputFirstAxes(), config.layers().maxSparsity(conf.getLayerName())));
            }
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("the network has no prunable weight selected by " + config.layers());
        }
        return found;
    }

    private static org.deeplearning4j.nn.api.Layer[] netLayers(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            return net.getLayers();
        }
        if (model instanceof ComputationGraph graph) {
            return graph.getLayers();
        }
        throw new IllegalArgumentException("model must be a MultiLayerNetwork or ComputationGraph, got "
                + (model == null ? "null" : model.getClass().getName()));
    }
}
