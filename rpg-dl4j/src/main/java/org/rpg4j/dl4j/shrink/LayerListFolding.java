package org.rpg4j.dl4j.shrink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link InferenceFolding} of a MultiLayerNetwork: layer {@code i} (a convolution) absorbs layer
 * {@code i + 1} if it is a foldable batch norm, then the next layer if it is an activation layer, when
 * the absorbed layers have no input preprocessor. Preprocessors of the kept layers move with them.
 */
final class LayerListFolding {
    private final MultiLayerNetwork original;
    private final MultiLayerConfiguration conf;
    /** per new layer: the original index of its layer. */
    private final List<Integer> sourceIndex = new ArrayList<>();
    /** per new layer: the original index of the batch norm folded into it, or -1. */
    private final List<Integer> foldedBatchNorm = new ArrayList<>();
    private final List<String> merged = new ArrayList<>();
    private final List<String> leftAlone = new ArrayList<>();

    private LayerListFolding(MultiLayerNetwork original) {
        this.original = original;
        this.conf = original.getLayerWiseConfigurations().clone();
    }

    static FoldedNetwork<MultiLayerNetwork> fold(MultiLayerNetwork original) {
        LayerListFolding folding = new LayerListFolding(original);
        MultiLayerNetwork folded = new MultiLayerNetwork(folding.rebuild());
        folded.init();
        for (int i = 0; i < folding.sourceIndex.size(); i++) {
            org.deeplearning4j.nn.api.Layer source = original.getLayer(folding.sourceIndex.get(i));
            int bn = folding.foldedBatchNorm.get(i);
            if (bn >= 0) {
                INDArray[] wb = FoldRules.foldedParams(source, original.getLayer(bn));
                LayerParams.assign(folded.getLayer(i), "W", wb[0]);
                LayerParams.assign(folded.getLayer(i), "b", wb[1]);
            } else {
                LayerParams.copy(source, folded.getLayer(i));
            }
        }
        return new FoldedNetwork<>(folded, folding.merged, folding.leftAlone);
    }

    private MultiLayerConfiguration rebuild() {
        List<NeuralNetConfiguration> confs = conf.getConfs();
        List<NeuralNetConfiguration> kept = new ArrayList<>();
        Map<Integer, InputPreProcessor> preProcessors = new HashMap<>();
        int i = 0;
        while (i < confs.size()) {
            if (conf.getInputPreProcess(i) != null) {
                preProcessors.put(kept.size(), conf.getInputPreProcess(i));
            }
            int convolution = i;
            NeuralNetConfiguration layerConf = confs.get(i);
            int bn = -1;
            ActivationLayer activation = null;
            if (FoldRules.convolutionRefusal(layerOf(i)).isEmpty()) {
                if (plain(i + 1) && FoldRules.batchNormRefusal(layerOf(i + 1)).isEmpty()) {
                    bn = ++i;
                }
                if (plain(i + 1) && FoldRules.isActivation(layerOf(i + 1))) {
                    activation = (ActivationLayer) layerOf(++i);
                }
                if (bn >= 0 || activation != null) {
                    layerConf.setLayer(FoldRules.merged((ConvolutionLayer) layerOf(convolution), bn >= 0, activation));
                    layerConf.clearVariables();
                    merged.add(convolution + " <- " + (bn >= 0 ? bn : "") + (bn >= 0 && activation != null ? ", " : "")
                            + (activation != null ? String.valueOf(i) : ""));
                }
            } else if (layerOf(i) instanceof BatchNormalization) {
                leftAlone.add(i + ": " + reasonKept(i));
            }
            kept.add(layerConf);
            sourceIndex.add(convolution);
            foldedBatchNorm.add(bn);
            i++;
        }
        conf.setConfs(kept);
        conf.setInputPreProcessors(preProcessors);
        return conf;
    }

    private String reasonKept(int batchNorm) {
        Optional<String> own = FoldRules.batchNormRefusal(layerOf(batchNorm));
        if (own.isPresent()) {
            return own.get();
        }
        if (batchNorm == 0) {
            return "first layer";
        }
        Optional<String> conv = FoldRules.convolutionRefusal(layerOf(batchNorm - 1));
        if (conv.isPresent()) {
            return "layer " + (batchNorm - 1) + " " + conv.get();
        }
        return "has an input preprocessor";
    }

    private boolean plain(int index) {
        return index < conf.getConfs().size() && conf.getInputPreProcess(index) == null;
    }

    private Layer layerOf(int index) {
        return conf.getConf(index).getLayer();
    }
}
