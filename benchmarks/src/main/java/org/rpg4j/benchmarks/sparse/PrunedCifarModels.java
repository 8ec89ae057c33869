package org.rpg4j.benchmarks.sparse;

import java.io.IOException;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.benchmarks.models.ModelShapes;
import org.rpg4j.benchmarks.overhead.CifarModels;
import org.rpg4j.benchmarks.training.ResNetCifar;

/**
 * VGG-19 and ResNet-56 for CIFAR ([batch, 3, 32, 32], 10 classes) with rpg4j's fast layers, pruned
 * to a uniform sparsity: every convolution and dense weight tensor loses a seeded random fraction
 * {@code sparsity} of its entries (exactly 0.0). Inference time depends only on where the non-zeros
 * are per layer, not on their values, so these stand in for trained RPG-pruned networks (which are
 * denser in the first layers and sparser in the wide ones: global magnitude pruning).
 */
final class PrunedCifarModels {

    private PrunedCifarModels() {
    }

    /**
     * @param model {@code VGG19} or {@code RESNET56}
     * @param variant {@code U<percent>} (uniform, {@link #of}) or {@code RPG<percent>} (RPG-pruned with the fast
     *     layers, {@link RpgPrunedWeights#graph}), e.g. {@code U95}, {@code RPG98}
     * @return the initialised, pruned graph
     * @throws IOException if the RPG-pruned weights cannot be read or written
     */
    static ComputationGraph variant(String model, String variant) throws IOException {
        double sparsity = Integer.parseInt(variant.replaceAll("[A-Z]", "")) / 100.0;
        return variant.startsWith("RPG") ? RpgPrunedWeights.graph(model, sparsity, true) : of(model, sparsity);
    }

    /**
     * @param batch images, at least 1
     * @return a {@code [batch, 3, 32, 32]} float input uniform in [0, 1), after ND4J's seed 3 (the same for every tool
     *     that times these networks)
     */
    static INDArray input(int batch) {
        Nd4j.getRandom().setSeed(3);
        return Nd4j.rand(DataType.FLOAT, batch, 3, 32, 32);
    }

    /**
     * @param model {@code VGG19} or {@code RESNET56}
     * @param sparsity pruned fraction of each weight tensor, in [0, 1)
     * @return the initialised, pruned graph
     */
    static ComputationGraph of(String model, double sparsity) {
        ComputationGraph graph = new ComputationGraph(switch (model) {
            case "VGG19" -> CifarModels.of(ModelShapes.VGG19, true);
            case "RESNET56" -> ResNetCifar.resnet(9, ResNetCifar.Layers.FAST, 0.1, 42);
            default -> throw new IllegalArgumentException("model must be VGG19 or RESNET56, got " + model);
        });
        graph.init();
        Nd4j.getRandom().setSeed(7);
        for (Layer layer : graph.getLayers()) {
            if (layer.conf().getLayer() instanceof BatchNormalization
                    || !(layer.conf().getLayer() instanceof BaseLayer)) {
                continue;
            }
            for (Map.Entry<String, INDArray> e : layer.paramTable().entrySet()) {
                if ("W".equals(e.getKey())) {
                    INDArray w = e.getValue();
                    w.muli(Nd4j.rand(DataType.FLOAT, w.shape()).gt(sparsity).castTo(DataType.FLOAT));
                }
            }
        }
        return graph;
    }
}
