package org.rpg4j.dl4j;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.weightnoise.DropConnect;
import org.deeplearning4j.nn.conf.weightnoise.IWeightNoise;
import org.deeplearning4j.nn.conf.weightnoise.WeightNoise;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;

/**
 * The DL4J constructs that change what rpg4j may prune, found before binding: wrapped layers
 * (frozen or not), weight noise that would make pruned weights non-zero in the forward pass, and
 * graph vertices that hold parameters without being layers.
 */
final class LayerScreen {
    private LayerScreen() {}

    /**
     * @param layer a runtime layer (DL4J returns the wrapped layer's configuration for a wrapper)
     * @return the wrapper classes around the layer, outermost first (e.g. {@code "FrozenLayer"}), or
     *     null if it is not wrapped
     */
    static String wrappers(Layer layer) {
        StringBuilder chain = new StringBuilder();
        Layer current = layer;
        while (current instanceof BaseWrapperLayer w) {
            chain.append(chain.length() == 0 ? "" : " > ").append(w.getClass().getSimpleName());
            current = w.getUnderlying();
        }
        return chain.length() == 0 ? null : chain.toString();
    }

    /** @return whether the layer or any wrapper around it is frozen (gets no optimizer step) */
    static boolean frozen(Layer layer) {
        Layer current = layer;
        while (current instanceof BaseWrapperLayer w) {
            if (w instanceof FrozenLayer || w instanceof FrozenLayerWithBackprop) {
                return true;
            }
            current = w.getUnderlying();
        }
        return false;
    }

    /**
     * Multiplicative noise and DropConnect keep a zero weight at zero (DropConnect scales kept
     * weights by {@code 1/p}: zero stays zero); additive noise, or a noise class rpg4j does not
     * know, would make pruned weights non-zero in every training forward pass.
     *
     * @param conf a layer configuration
     * @return why its weight noise is incompatible with pruning, or null if it has none or a safe one
     */
    static String weightNoiseProblem(org.deeplearning4j.nn.conf.layers.Layer conf) {
        IWeightNoise noise = conf instanceof BaseLayer b ? b.getWeightNoise() : null;
        if (noise == null || noise instanceof DropConnect || noise instanceof WeightNoise w && !w.isAdditive()) {
            return null;
        }
        String what = noise instanceof WeightNoise ? "additive weight noise (WeightNoise with additive = true)"
                : "weight noise of class " + noise.getClass().getName() + ", which rpg4j cannot check";
        return "layer '" + conf.getLayerName() + "' uses " + what + ": it makes pruned weights non-zero in every "
                + "training forward pass. Use multiplicative WeightNoise or DropConnect (both keep zero weights at "
                + "zero), or exclude the layer from pruning";
    }

    /**
     * @param net the network
     * @return {vertex name, configuration class} of every graph vertex that holds parameters but is
     *     not a layer (for example a {@code SameDiffVertex}); empty for a {@code MultiLayerNetwork}
     */
    static List<String[]> parameterisedVertices(NetworkAdapter net) {
        List<String[]> out = new ArrayList<>();
        if (net.model() instanceof ComputationGraph cg && cg.getVertices() != null) {
            for (GraphVertex v : cg.getVertices()) {
                if (!v.hasLayer() && v.numParams() > 0) {
                    Object conf = cg.getConfiguration().getVertices().get(v.getVertexName());
                    out.add(new String[] {v.getVertexName(), (conf == null ? v : conf).getClass().getName()});
                }
            }
        }
        return out;
    }
}
