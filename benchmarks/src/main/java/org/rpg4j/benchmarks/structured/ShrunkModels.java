package org.rpg4j.benchmarks.structured;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.rpg4j.benchmarks.models.ModelShapes;
import org.rpg4j.benchmarks.overhead.CifarModels;
import org.rpg4j.benchmarks.training.ResNetCifar;
import org.rpg4j.dl4j.structured.StructuredConfig;
import org.rpg4j.dl4j.structured.StructuredPruning;
import org.rpg4j.dl4j.structured.StructuredResult;

/** The pruned networks of {@link ShrunkInferenceBenchmark}, built the same way for its table. */
final class ShrunkModels {
    private ShrunkModels() {}

    /**
     * @param model {@code RESNET56} or {@code VGG19} (CIFAR shapes, fast layers, seed 42)
     * @param removed fraction of each prunable group's channels removed by L1 filter norm, in [0, 1)
     * @param channelMultiple kept counts rounded up to a multiple of this, {@code >= 1}
     * @return the shrunk network and its report (MACs counted for 3x32x32 inputs)
     * @throws IllegalArgumentException if {@code model} is neither
     */
    static StructuredResult prune(String model, double removed, int channelMultiple) {
        ComputationGraphConfiguration conf = switch (model) {
            case "VGG19" -> CifarModels.of(ModelShapes.VGG19, true);
            case "RESNET56" -> ResNetCifar.resnet(9, ResNetCifar.Layers.FAST, 0.1, 42);
            default -> throw new IllegalArgumentException("model must be RESNET56 or VGG19, got " + model);
        };
        ComputationGraph dense = new ComputationGraph(conf);
        dense.init();
        return StructuredPruning.prune(dense, StructuredConfig.builder(removed).channelMultiple(channelMultiple)
                .inputShape(3, 32, 32).build());
    }
}
