package org.rpg4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.rpg4j.dl4j.layers.FastConvolutionLayer;
import org.rpg4j.dl4j.layers.FastLayers;
import org.rpg4j.prune.PrunableTensor;
import org.rpg4j.prune.TensorKind;

/**
 * rpg4j's own fast layers ({@code org.rpg4j.dl4j.layers}) are pruned like DL4J's: the fast
 * convolution inherits {@code ConvolutionLayer}'s registration ({@code W} stored [out, in, kh, kw],
 * C order), the fast batch norm has no prunable weight.
 */
class FastLayersPruningTest {

    static Stream<Arguments> updaters() {
        return Stream.of(Arguments.of(new Adam(0.01), Nets.Decay.L2),
                Arguments.of(new Nesterovs(0.05, 0.9), Nets.Decay.WEIGHT_DECAY),
                Arguments.of(new Sgd(0.1), Nets.Decay.L2));
    }

    /** Also through the fast layers' Java-loop update ({@code HostUpdates}), whose updaters subclass DL4J's. */
    @ParameterizedTest
    @MethodSource("updaters")
    void graphWithFastLayersIsPrunedAndKeepsPrunedWeightsAtZero(IUpdater updater, Nets.Decay decay) {
        ComputationGraph standard = Nets.smallGraph(updater, decay, true);
        ComputationGraph net = new ComputationGraph(FastLayers.withFastLayers(standard.getConfiguration()));
        net.init();
        assertTrue(net.getLayer("conv").conf().getLayer() instanceof FastConvolutionLayer);
        Pruning pruning = Dl4jPruning.attach(net, SaveRestoreTest.config());
        PrunableTensor conv = pruning.tensors().get(0);
        assertEquals("conv/W", conv.name());
        assertEquals("FastConvolutionLayer", conv.layerType());
        assertEquals(TensorKind.CONVOLUTION, conv.kind());
        assertTrue(pruning.unsupportedLayers().isEmpty(), pruning.unsupportedLayers().toString());
        List<DataSet> data = Nets.data(SaveRestoreTest.ITERATIONS, 4, 31);
        for (DataSet d : data) {
            net.fit(d);
            Inspect.assertPrunedAreZero(pruning, "fast layers");
        }
        assertEquals(0.8, pruning.sparsity(), 0.01);
        assertTrue(net.getUpdater().getUpdaterBlocks().stream()
                .anyMatch(b -> b.getGradientUpdater().getClass().getSimpleName().startsWith("Host")),
                "the fast convolution's block runs the Java-loop updater");
    }
}
