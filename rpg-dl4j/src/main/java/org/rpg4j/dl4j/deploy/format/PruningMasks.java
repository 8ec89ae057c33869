package org.rpg4j.dl4j.deploy.format;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.dl4j.Pruning;
import org.rpg4j.prune.PrunableTensor;

/**
 * The keep-masks of a pruning run, keyed by DL4J parameter-table key and flattened in the
 * parameter's storage order (rpg4j names a tensor {@code layerName/paramKey} and holds its mask in
 * C order; a dense layer's weight is stored in F order).
 */
final class PruningMasks {
    private PruningMasks() {}

    /**
     * @param pruning an attached or finished run (not modified)
     * @return per parameter-table key, whether each entry is kept
     * @throws IllegalArgumentException if a tensor's layer is not in the network
     */
    static Map<String, boolean[]> of(Pruning pruning) {
        Model network = pruning.network();
        Map<String, INDArray> table = network.paramTable();
        Map<String, boolean[]> out = new HashMap<>();
        for (PrunableTensor tensor : pruning.tensors()) {
            String key = parameterKey(network, tensor.name());
            INDArray view = table.get(key);
            if (view == null) {
                throw new IllegalArgumentException("pruned tensor '" + tensor.name() + "' has no parameter '" + key
                        + "' in the network");
            }
            INDArray mask = pruning.mask(tensor.name());
            float[] flat = Nd4j.toFlattened(view.ordering(), mask).toFloatVector();
            boolean[] kept = new boolean[flat.length];
            for (int i = 0; i < flat.length; i++) {
                kept[i] = flat[i] != 0f;
            }
            out.put(key, kept);
        }
        return out;
    }

    /** {@code layer/W} is {@code <index>_W} in a MultiLayerNetwork and {@code layer_W} in a ComputationGraph. */
    private static String parameterKey(Model network, String tensorName) {
        int slash = tensorName.lastIndexOf('/');
        String layerName = tensorName.substring(0, slash);
        String paramKey = tensorName.substring(slash + 1);
        if (!(network instanceof MultiLayerNetwork mln)) {
            return layerName + "_" + paramKey;
        }
        for (int i = 0; i < mln.getnLayers(); i++) {
            if (layerName.equals(mln.getLayer(i).conf().getLayer().getLayerName())) {
                return i + "_" + paramKey;
            }
        }
        throw new IllegalArgumentException("pruned tensor '" + tensorName + "' names layer '" + layerName
                + "', which the network does not have");
    }
}
