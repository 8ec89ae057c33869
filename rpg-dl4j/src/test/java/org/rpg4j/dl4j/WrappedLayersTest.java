package org.rpg4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.learning.config.Sgd;
import org.rpg4j.prune.PrunableTensor;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankLoss;
import org.rpg4j.prune.UnsupportedLayerPolicy;

/**
 * A layer frozen by {@code TransferLearning.setFeatureExtractor} is, at run time, a DL4J
 * {@code FrozenLayer} whose configuration is the wrapped layer's: rpg4j must recognise the wrapper,
 * leave the frozen weights untouched (not pruned, no rank loss), list the layer with the reason in
 * the report, and refuse to prune it when asked to prune wrapped layers.
 */
class WrappedLayersTest {
    private static final int ITERATIONS = 12;

    @ParameterizedTest
    @EnumSource(Nets.Kind.class)
    void frozenFeatureExtractorIsUntouchedAndReported(Nets.Kind kind) {
        Model net = frozenFirstLayer(kind);
        float[] frozenBefore = Inspect.layer(net, "conv").getParam("W").dup().data().asFloat();
        Pruning pruning = Dl4jPruning.attach(net, config().toBuilder()
                .unsupportedLayers(UnsupportedLayerPolicy.STRICT).build());
        Nets.data(ITERATIONS, 4, 6).forEach(d -> Nets.fit(net, d));

        assertArrayEquals(frozenBefore, Inspect.layer(net, "conv").getParam("W").dup().data().asFloat(),
                "frozen weights");
        assertFalse(pruning.tensors().stream().map(PrunableTensor::name).anyMatch(n -> n.startsWith("conv/")),
                "frozen layer bound: " + pruning.tensors());
        assertTrue(pruning.sparsity() > 0.5, "the other layers are pruned");
        List<String> reported = pruning.report().unsupportedLayers();
        assertTrue(reported.stream().anyMatch(s -> s.startsWith("conv (") && s.contains("FrozenLayer")
                && s.contains("frozen")), "report: " + reported);
        assertEquals(reported, pruning.unsupportedLayers());
    }

    @ParameterizedTest
    @EnumSource(Nets.Kind.class)
    void pruningWrappedLayersRefusesAFrozenOne(Nets.Kind kind) {
        Model net = frozenFirstLayer(kind);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dl4jPruning.attach(net,
                config(), PrunableLayers.defaults().wrappedLayers(WrappedLayerPolicy.PRUNE_TRAINABLE)));
        assertTrue(e.getMessage().contains("frozen layer conv") && e.getMessage().contains("FrozenLayer"),
                e.getMessage());
    }

    private static PruningConfig config() {
        return PruningConfig.builder(0.6).totalIterations(ITERATIONS).deltaT(3).rankLoss(RankLoss.lambda(1.0)).build();
    }

    private static Model frozenFirstLayer(Nets.Kind kind) {
        FineTuneConfiguration fineTune = new FineTuneConfiguration.Builder().updater(new Sgd(0.05)).build();
        if (kind == Nets.Kind.MLN) {
            MultiLayerNetwork base = Nets.smallMln(new Sgd(0.05), Nets.Decay.NONE, false);
            return new TransferLearning.Builder(base).fineTuneConfiguration(fineTune).setFeatureExtractor(0).build();
        }
        ComputationGraph base = Nets.smallGraph(new Sgd(0.05), Nets.Decay.NONE, false);
        return new TransferLearning.GraphBuilder(base).fineTuneConfiguration(fineTune).setFeatureExtractor("conv")
                .build();
    }
}
