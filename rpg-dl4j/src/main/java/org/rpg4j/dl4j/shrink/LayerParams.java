package org.rpg4j.dl4j.shrink;

import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Parameter copies between the layers of an original and a rebuilt network. */
final class LayerParams {
    private LayerParams() {}

    /**
     * Copies every parameter of {@code target} from the parameter of the same key of {@code source}.
     *
     * @param source the original layer; not modified
     * @param target the new layer with the same parameter keys and lengths; its parameters are overwritten
     * @throws IllegalStateException if a key is missing in {@code source} or a length differs
     */
    static void copy(Layer source, Layer target) {
        for (Map.Entry<String, INDArray> e : target.paramTable().entrySet()) {
            INDArray value = source.getParam(e.getKey());
            if (value == null) {
                throw new IllegalStateException("layer " + source.conf().getLayer().getLayerName()
                        + " has no parameter "
                        + e.getKey());
            }
            assign(target, e.getKey(), value);
        }
    }

    /**
     * @param target a layer; parameter {@code key} is overwritten
     * @param key the parameter key
     * @param value the values, in the parameter's shape or another shape of the same length ('c' order); not
     *     modified
     * @throws IllegalStateException if the lengths differ
     */
    static void assign(Layer target, String key, INDArray value) {
        INDArray slot = target.getParam(key);
        if (slot == null || slot.length() != value.length()) {
            throw new IllegalStateException("parameter " + key + " of layer " + target.conf().getLayer().getLayerName()
                    + " has shape " + (slot == null ? "none" : Arrays.toString(slot.shape())) + ", cannot take "
                    + Arrays.toString(value.shape()));
        }
        slot.assign(value.reshape('c', slot.shape()));
    }
}
