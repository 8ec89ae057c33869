package org.rpg4j.dl4j;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.prune.PrunableTensor;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.UnsupportedLayerPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the prunable tensors of a network: every layer with weight parameters that the
 * configuration selects is either bound (its registered weights located in the flat parameter
 * vector) or reported as unsupported, by name and class; never silently skipped.
 */
final class LayerDiscovery {
    private static final Logger LOG = LoggerFactory.getLogger(LayerDiscovery.class);

    /**
     * @param bindings the prunable tensors in flat-parameter order
     * @param unsupported selected layers with weights that cannot be pruned, "name (class): reason",
     *     then the layers left out by default (wrapped and frozen layers) with the reason
     * @param layers configuration of each layer that holds a bound tensor, by layer name
     */
    record Result(List<TensorBinding> bindings, List<String> unsupported, Map<String, Layer> layers) {}

    private LayerDiscovery() {}

    /**
     * @throws IllegalArgumentException if a selected layer is unsupported under
     *     {@link UnsupportedLayerPolicy#STRICT}, if layer names repeat, if nothing is prunable, if a
     *     frozen layer is selected under {@link WrappedLayerPolicy#PRUNE_TRAINABLE}, or if a pruned
     *     layer uses weight noise that makes pruned weights non-zero
     */
    static Result discover(NetworkAdapter net, PruningConfig config, PrunableLayers registry) {
        INDArray flatParams = net.params();
        List<TensorBinding> bindings = new ArrayList<>();
        List<String> unsupported = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        Map<String, Layer> layers = new LinkedHashMap<>();
        for (org.deeplearning4j.nn.api.Layer layer : uniquelyNamed(net.layers())) {
            Layer conf = layer.conf().getLayer();
            if (weightKeys(layer, conf).isEmpty() || !selected(config, conf)) {
                continue;
            }
            String exclusion = wrapperExclusion(layer, conf, registry.wrappedLayers());
            if (exclusion != null) {
                excluded.add(exclusion);
                continue;
            }
            List<TensorBinding> found = new ArrayList<>();
            String problem = bind(layer, conf, registry, config, flatParams, found);
            if (problem == null) {
                bindings.addAll(found);
                layers.put(conf.getLayerName(), conf);
            } else {
                unsupported.add(conf.getLayerName() + " (" + conf.getClass().getName() + "): " + problem);
            }
        }
        for (String[] vertex : LayerScreen.parameterisedVertices(net)) {
            String type = vertex[1].substring(vertex[1].lastIndexOf('.') + 1);
            if (config.layers().selects(vertex[0], type)) {
                unsupported.add(vertex[0] + " (" + vertex[1] + "): a graph vertex with parameters that is not a layer; "
                        + "rpg4j prunes layer weights only");
            }
        }
        handleUnsupported(config.unsupportedLayers(), unsupported);
        for (String e : excluded) {
            LOG.info("rpg4j: not pruning layer {}", e);
        }
        if (bindings.isEmpty()) {
            throw new IllegalArgumentException("the network has no prunable weights in the selected layers ("
                    + config.layers() + "); unsupported: " + unsupported + "; excluded: " + excluded);
        }
        bindings.sort(Comparator.comparingLong(TensorBinding::offset));
        List<String> notPruned = new ArrayList<>(unsupported);
        notPruned.addAll(excluded);
        return new Result(List.copyOf(bindings), List.copyOf(notPruned), layers);
    }

    /**
     * @return why a wrapped layer is left dense, or null if it is not wrapped or is pruned
     * @throws IllegalArgumentException if pruning wrapped layers was asked for and this one is frozen
     */
    private static String wrapperExclusion(org.deeplearning4j.nn.api.Layer layer, Layer conf,
                                           WrappedLayerPolicy policy) {
        String wrappers = LayerScreen.wrappers(layer);
        if (wrappers == null) {
            return null;
        }
        String what = conf.getLayerName() + " (" + conf.getClass().getName() + " inside " + wrappers + ")";
        boolean frozen = LayerScreen.frozen(layer);
        if (policy == WrappedLayerPolicy.EXCLUDE) {
            return what + ": " + (frozen ? "frozen, its weights are not trained; excluded, left dense"
                    : "a wrapped layer; excluded by default (PrunableLayers.wrappedLayers(PRUNE_TRAINABLE) prunes it)");
        }
        if (frozen) {
            throw new IllegalArgumentException("rpg4j cannot prune the frozen layer " + what + ": it gets no "
                    + "optimizer step, so pruned weights could never regrow and the rank loss could not act. Exclude "
                    + "it (LayerSelection.excludeNames), use WrappedLayerPolicy.EXCLUDE, or unfreeze it");
        }
        return null;
    }

    private static org.deeplearning4j.nn.api.Layer[] uniquelyNamed(org.deeplearning4j.nn.api.Layer[] layers) {
        Map<String, Integer> indexByName = new HashMap<>();
        for (int i = 0; i < layers.length; i++) {
            String name = layers[i].conf().getLayer().getLayerName();
            Integer previous = indexByName.put(name, i);
            if (previous != null) {
                throw new IllegalArgumentException("layer names must be unique to prune a network, '" + name
                        + "' names layers " + previous + " and " + i + ": give each layer its own name");
            }
        }
        return layers;
    }

    private static boolean selected(PruningConfig config, Layer conf) {
        String type = conf.getClass().getSimpleName();
        boolean selected = config.layers().selects(conf.getLayerName(), type);
        if (!selected) {
            LOG.debug("rpg4j: layer '{}' ({}) not selected", conf.getLayerName(), type);
        }
        return selected;
    }

    private static List<String> weightKeys(org.deeplearning4j.nn.api.Layer layer, Layer conf) {
        Map<String, INDArray> params = layer.paramTable();
        if (params == null || params.isEmpty()) {
            return List.of();
        }
        List<String> keys;
        try {
            keys = conf.initializer().weightKeys(conf);
        } catch (RuntimeException e) {
            // An initialiser that cannot tell: treat every parameter as a weight (reported if unsupported).
            keys = new ArrayList<>(params.keySet());
        }
        return keys.stream().filter(k -> params.get(k) != null && params.get(k).length() > 0).toList();
    }

    /** @return null when every registered weight was bound, else why the layer is unsupported */
    private static String bind(org.deeplearning4j.nn.api.Layer layer, Layer conf, PrunableLayers registry,
                               PruningConfig config, INDArray flatParams, List<TensorBinding> out) {
        if (!HookInstaller.canHook(conf)) {
            return "its configuration class cannot carry regularizations (neither BaseLayer nor "
                    + "AbstractSameDiffLayer)";
        }
        Optional<List<WeightSpec>> specs = registry.weightsOf(conf);
        if (specs.isEmpty() || specs.get().isEmpty()) {
            return "no weight layout is registered for it (see PrunableLayers.with or PrunableWeights)";
        }
        String noise = LayerScreen.weightNoiseProblem(conf);
        if (noise != null) {
            throw new IllegalArgumentException(noise);
        }
        String name = conf.getLayerName();
        for (WeightSpec spec : specs.get()) {
            INDArray weights = layer.paramTable().get(spec.paramKey());
            String problem = check(conf, spec, weights);
            if (problem != null) {
                return problem;
            }
            PrunableTensor tensor;
            try {
                tensor = new PrunableTensor(name + "/" + spec.paramKey(), conf.getClass().getSimpleName(),
                        spec.kind(), weights.shape(), weights.dataType(), spec.outputFirstAxes(),
                        config.layers().maxSparsity(name));
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
            out.add(TensorBinding.locate(tensor, name, weights, flatParams));
        }
        return null;
    }

    private static String check(Layer conf, WeightSpec spec, INDArray weights) {
        if (weights == null) {
            return "it has no parameter '" + spec.paramKey() + "'";
        }
        if (weights.rank() != spec.rank()) {
            return "parameter '" + spec.paramKey() + "' has rank " + weights.rank() + ", its registered layout "
                    + spec + " needs rank " + spec.rank();
        }
        long outputs = weights.size(spec.outputFirstAxes()[0]);
        if (spec.checksOutputChannels() && conf instanceof FeedForwardLayer ff && outputs != ff.getNOut()) {
            return "parameter '" + spec.paramKey() + "' of shape " + java.util.Arrays.toString(weights.shape())
                    + " has " + outputs + " entries on its registered output axis, the layer has nOut "
                    + ff.getNOut() + ": the registered layout " + spec + " does not fit it";
        }
        return null;
    }

    private static void handleUnsupported(UnsupportedLayerPolicy policy, List<String> unsupported) {
        if (unsupported.isEmpty()) {
            return;
        }
        if (policy == UnsupportedLayerPolicy.STRICT) {
            throw new IllegalArgumentException("rpg4j cannot prune these selected layers: " + unsupported
                    + ". Exclude them (LayerSelection.excludeNames/excludeTypes), register their layout "
                    + "(PrunableLayers.with), or use UnsupportedLayerPolicy.LENIENT to leave them dense");
        }
        for (String u : unsupported) {
            LOG.warn("rpg4j: not pruning layer {}", u);
        }
    }
}
