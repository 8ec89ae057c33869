package org.rpg4j.dl4j.deploy.runner;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Compiles a MultiLayerNetwork: slot 0 is the input, slot {@code i + 1} the output of layer
 * {@code i}. A convolution absorbs a batch norm right after it (and a ReLU activation layer after
 * that) when those have no input preprocessor.
 */
final class LayerListCompiler {

    private LayerListCompiler() {
    }

    /** @return the plan of {@code network} */
    static Plan compile(MultiLayerNetwork network, RunnerOptions options) {
        Layer[] layers = network.getLayers();
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        List<Plan.Node> nodes = new ArrayList<>();
        int i = 0;
        while (i < layers.length) {
            org.deeplearning4j.nn.conf.layers.Layer layerConf = layers[i].conf().getLayer();
            InputPreProcessor pre = conf.getInputPreProcess(i);
            int first = i;
            Step step;
            if (pre == null && StepFactory.isConvolution(layerConf)) {
                Optional<Layer> batchNorm = Optional.empty();
                boolean foldable = StepFactory.acceptsFold(layerConf);
                if (foldable && plain(layers, conf, i + 1) && StepFactory.isFoldableBatchNorm(confOf(layers, i + 1))) {
                    batchNorm = Optional.of(layers[++i]);
                }
                boolean relu = foldable && plain(layers, conf, i + 1) && StepFactory.isRelu(confOf(layers, i + 1));
                if (relu) {
                    i++;
                }
                step = StepFactory.convolution(layers[first], batchNorm, relu, options);
            } else if (StepFactory.isDense(layerConf)) {
                step = StepFactory.dense(layers[i], pre, options);
            } else {
                Layer layer = layers[i];
                Optional<Step> pooling = pre == null ? StepFactory.pooling(layer, options) : Optional.empty();
                step = pooling.orElseGet(() -> FallbackStep.of(layerConf.getLayerName(), layer, pre));
            }
            nodes.add(new Plan.Node(step, new int[] {first}, i + 1));
            i++;
        }
        return new Plan(layers.length + 1, new int[] {0}, new int[] {layers.length}, List.copyOf(nodes));
    }

    private static boolean plain(Layer[] layers, MultiLayerConfiguration conf, int index) {
        return index < layers.length && conf.getInputPreProcess(index) == null;
    }

    private static org.deeplearning4j.nn.conf.layers.Layer confOf(Layer[] layers, int index) {
        return layers[index].conf().getLayer();
    }
}
