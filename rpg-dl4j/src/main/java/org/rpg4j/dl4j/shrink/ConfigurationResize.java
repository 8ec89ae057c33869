package org.rpg4j.dl4j.shrink;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitConstant;
import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.dl4j.graph.NetworkGraph;
import org.rpg4j.dl4j.graph.NetworkNode;

/** Copies a network configuration with each layer's {@code nIn}/{@code nOut} and each flatten's channel count shrunk. */
final class ConfigurationResize {
    private final ChannelDependencies deps;
    private final boolean[][] keep;
    private final Map<String, IWeightInit> weightInits = new HashMap<>();

    ConfigurationResize(ChannelDependencies deps, boolean[][] keep) {
        this.deps = deps;
        this.keep = keep;
    }

    MultiLayerConfiguration resize(MultiLayerConfiguration original) {
        MultiLayerConfiguration copy = original.clone();
        String previous = NetworkGraph.MLN_INPUT;
        int i = 0;
        for (NetworkNode n : deps.graph().nodes()) {
            resize(n, copy.getConf(i).getLayer());
            InputPreProcessor p = copy.getInputPreProcess(i);
            if (p != null) {
                copy.getInputPreProcessors().put(i, preProcessor(p, previous));
            }
            previous = n.name();
            i++;
        }
        return copy;
    }

    ComputationGraphConfiguration resize(ComputationGraphConfiguration original) {
        ComputationGraphConfiguration copy = original.clone();
        for (NetworkNode n : deps.graph().nodes()) {
            GraphVertex v = copy.getVertices().get(n.name());
            if (v instanceof LayerVertex lv) {
                resize(n, lv.getLayerConf().getLayer());
                if (lv.getPreProcessor() != null) {
                    lv.setPreProcessor(preProcessor(lv.getPreProcessor(), n.inputs().get(0)));
                }
            } else if (v instanceof PreprocessorVertex pv) {
                pv.setPreProcessor(preProcessor(pv.getPreProcessor(), n.inputs().get(0)));
            }
        }
        return copy;
    }

    /**
     * Every parameter of the new network is overwritten by the shrinker, so its layers are
     * initialised with zeros (cheap) and get their weight initialisation back afterwards
     * ({@link #restoreWeightInit}).
     */
    private void resize(NetworkNode n, Layer layer) {
        if (layer instanceof BaseLayer b && b.getWeightInitFn() != null) {
            weightInits.put(n.name(), b.getWeightInitFn());
            b.setWeightInitFn(new WeightInitConstant(0.0));
        }
        if (!(layer instanceof FeedForwardLayer f)) {
            return;
        }
        int inSize = deps.inputs(n.name()).size();
        int keptIn = deps.inputs(n.name()).keptCount(keep);
        if (keptIn != inSize) {
            f.setNIn(keptIn);
        }
        int outSize = deps.outputs(n.name()).size();
        int keptOut = deps.outputs(n.name()).keptCount(keep);
        if (keptOut != outSize) {
            f.setNOut(keptOut);
        }
    }

    /** Puts back the weight initialisation of every layer of the initialised new network. */
    void restoreWeightInit(Model shrunk) {
        weightInits.forEach((name, init) -> {
            org.deeplearning4j.nn.api.Layer l = shrunk instanceof MultiLayerNetwork m ? m.getLayer(name)
                    : ((ComputationGraph) shrunk).getLayer(name);
            ((BaseLayer) l.conf().getLayer()).setWeightInitFn(init);
        });
    }

    private InputPreProcessor preProcessor(InputPreProcessor p, String inputNode) {
        if (p instanceof CnnToFeedForwardPreProcessor f && deps.graph().has(inputNode)) {
            long channels = deps.outputs(inputNode).keptCount(keep);
            return new CnnToFeedForwardPreProcessor(f.getInputHeight(), f.getInputWidth(), channels, f.getFormat());
        }
        return p;
    }
}
