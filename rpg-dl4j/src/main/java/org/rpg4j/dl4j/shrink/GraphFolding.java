package org.rpg4j.dl4j.shrink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.dl4j.layers.FastAddVertex;
import org.rpg4j.dl4j.layers.FastElementWiseVertex;

/**
 * {@link InferenceFolding} of a ComputationGraph: finds each convolution whose only reader is a batch
 * norm (and that batch norm's only reader an activation layer), removes the absorbed vertices from a copy
 * of the configuration, points their readers at the convolution, and fills the new graph's parameters.
 * A residual add whose only reader is a plain ReLU layer becomes one {@link FastAddVertex} with the ReLU.
 */
final class GraphFolding {
    private final ComputationGraph original;
    private final ComputationGraphConfiguration conf;
    private final Set<String> outputs;
    private final Map<String, List<String>> readers = new HashMap<>();
    /** convolution name to its absorbed vertices, in order (batch norm first, if any). */
    private final Map<String, List<String>> chains = new LinkedHashMap<>();
    private final Map<String, String> batchNormOf = new HashMap<>();
    /** residual add to the ReLU layer fused into it ({@link FastAddVertex}). */
    private final Map<String, String> reluOfAdd = new LinkedHashMap<>();

    private GraphFolding(ComputationGraph original) {
        this.original = original;
        this.conf = original.getConfiguration().clone();
        this.outputs = new HashSet<>(conf.getNetworkOutputs());
        conf.getVertexInputs().forEach((vertex, inputs) -> inputs.forEach(in -> readers.computeIfAbsent(in,
                k -> new ArrayList<>()).add(vertex)));
    }

    static FoldedNetwork<ComputationGraph> fold(ComputationGraph original) {
        GraphFolding folding = new GraphFolding(original);
        List<String> leftAlone = folding.findChains();
        ComputationGraph folded = new ComputationGraph(folding.rewire());
        folded.init();
        folding.copyParams(folded);
        List<String> merged = new ArrayList<>();
        folding.chains.forEach((conv, absorbed) -> merged.add(conv + " <- " + String.join(", ", absorbed)));
        folding.reluOfAdd.forEach((add, relu) -> merged.add(add + " <- " + relu));
        return new FoldedNetwork<>(folded, merged, leftAlone);
    }

    /** @return the batch norms left alone, with the reason */
    private List<String> findChains() {
        for (String name : conf.getVertices().keySet()) {
            Layer layer = layerOf(name);
            if (FoldRules.convolutionRefusal(layer).isPresent()) {
                continue;
            }
            List<String> absorbed = new ArrayList<>();
            String next = soleReader(name);
            if (next != null && FoldRules.batchNormRefusal(layerOf(next)).isEmpty()) {
                absorbed.add(next);
                batchNormOf.put(name, next);
                next = soleReader(next);
            }
            if (next != null && FoldRules.isActivation(layerOf(next))) {
                absorbed.add(next);
            }
            if (!absorbed.isEmpty()) {
                chains.put(name, absorbed);
            }
        }
        findAddRelus();
        List<String> leftAlone = new ArrayList<>();
        for (String name : conf.getVertices().keySet()) {
            if (layerOf(name) instanceof BatchNormalization && !batchNormOf.containsValue(name)) {
                leftAlone.add(name + ": " + reasonKept(name));
            }
        }
        return leftAlone;
    }

    /**
     * Finds each residual add (DL4J's {@code ElementWiseVertex} or rpg4j's {@link FastElementWiseVertex}, op Add)
     * whose only reader is a plain ReLU layer.
     */
    private void findAddRelus() {
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            // FastElementWiseVertex differs from DL4J's only in how its training backward copies gradients
            Class<?> kind = e.getValue().getClass();
            if (kind != ElementWiseVertex.class && kind != FastElementWiseVertex.class
                    || ((ElementWiseVertex) e.getValue()).getOp() != ElementWiseVertex.Op.Add) {
                continue;
            }
            String reader = soleReader(e.getKey());
            if (reader != null && FoldRules.isActivation(layerOf(reader))
                    && FastAddVertex.isPlainRelu(((ActivationLayer) layerOf(reader)).getActivationFn())) {
                reluOfAdd.put(e.getKey(), reader);
            }
        }
    }

    private String reasonKept(String batchNorm) {
        Optional<String> own = FoldRules.batchNormRefusal(layerOf(batchNorm));
        if (own.isPresent()) {
            return own.get();
        }
        List<String> inputs = conf.getVertexInputs().get(batchNorm);
        if (inputs.size() != 1 || ((LayerVertex) conf.getVertices().get(batchNorm)).getPreProcessor() != null) {
            return "has an input preprocessor or several inputs";
        }
        String input = inputs.get(0);
        Optional<String> conv = FoldRules.convolutionRefusal(layerOf(input));
        if (conv.isPresent()) {
            return "input " + input + " " + conv.get();
        }
        if (outputs.contains(batchNorm) || outputs.contains(input)) {
            return "it or its input is a network output";
        }
        return "input " + input + " is read by " + readers.get(input);
    }

    /**
     * @return the only vertex reading {@code vertex}, if {@code vertex} is not a network output and that
     *     reader is a layer vertex with one input, no preprocessor, and is not a network output itself
     */
    private String soleReader(String vertex) {
        List<String> r = readers.getOrDefault(vertex, List.of());
        if (outputs.contains(vertex) || r.size() != 1 || outputs.contains(r.get(0))) {
            return null;
        }
        String next = r.get(0);
        GraphVertex v = conf.getVertices().get(next);
        boolean plain = v instanceof LayerVertex lv && lv.getPreProcessor() == null
                && conf.getVertexInputs().get(next).size() == 1;
        return plain ? next : null;
    }

    private Layer layerOf(String vertex) {
        return conf.getVertices().get(vertex) instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : null;
    }

    /** @return the copy of the configuration with the chains merged into their convolutions */
    private ComputationGraphConfiguration rewire() {
        Map<String, String> alias = new HashMap<>();
        chains.forEach((conv, absorbed) -> {
            LayerVertex v = (LayerVertex) conf.getVertices().get(conv);
            String last = absorbed.get(absorbed.size() - 1);
            ActivationLayer activation = FoldRules.isActivation(layerOf(last)) ? (ActivationLayer) layerOf(last) : null;
            v.getLayerConf().setLayer(FoldRules.merged((ConvolutionLayer) v.getLayerConf().getLayer(),
                    batchNormOf.containsKey(conv), activation));
            v.getLayerConf().clearVariables();
            for (String a : absorbed) {
                alias.put(a, conv);
                conf.getVertices().remove(a);
                conf.getVertexInputs().remove(a);
            }
        });
        reluOfAdd.forEach((add, relu) -> {
            conf.getVertices().put(add, new FastAddVertex(true));
            alias.put(relu, add);
            conf.getVertices().remove(relu);
            conf.getVertexInputs().remove(relu);
        });
        conf.getVertexInputs().replaceAll((vertex, inputs) -> new ArrayList<>(inputs.stream().map(
                in -> alias.getOrDefault(in, in)).toList()));
        // DL4J caches the topological order in the configuration; the copy's is stale
        conf.setTopologicalOrder(null);
        conf.setTopologicalOrderStr(null);
        return conf;
    }

    private void copyParams(ComputationGraph folded) {
        for (org.deeplearning4j.nn.api.Layer target : folded.getLayers()) {
            String name = target.conf().getLayer().getLayerName();
            org.deeplearning4j.nn.api.Layer source = original.getLayer(name);
            String bn = batchNormOf.get(name);
            if (bn != null) {
                INDArray[] wb = FoldRules.foldedParams(source, original.getLayer(bn));
                LayerParams.assign(target, "W", wb[0]);
                LayerParams.assign(target, "b", wb[1]);
            } else {
                LayerParams.copy(source, target);
            }
        }
    }
}
