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

    /**
     * A trainable wrapper ({@code TimeDistributed} around a dense layer) is left dense by default and
     * pruned on request: its pruned weights stay exactly 0.0 while it trains. (DL4J names the wrapped
     * layer by its index, {@code layer0}, whatever name the inner configuration was given.)
     */
    @org.junit.jupiter.api.Test
    void timeDistributedDenseIsExcludedByDefaultAndPrunedOnRequest() {
        MultiLayerNetwork byDefault = timeDistributed();
        Pruning excluded = Dl4jPruning.attach(byDefault, config());
        assertFalse(excluded.tensors().stream().anyMatch(t -> t.name().startsWith("layer0/")), excluded.tensors()
                .toString());
        assertTrue(excluded.unsupportedLayers().stream().anyMatch(s -> s.startsWith("layer0 (")
                && s.contains("TimeDistributedLayer") && s.contains("PRUNE_TRAINABLE")), excluded.unsupportedLayers()
                        .toString());

        MultiLayerNetwork net = timeDistributed();
        Pruning pruning = Dl4jPruning.attach(net, config(),
                PrunableLayers.defaults().wrappedLayers(WrappedLayerPolicy.PRUNE_TRAINABLE));
        assertTrue(pruning.tensors().stream().anyMatch(t -> t.name().equals("layer0/W")), pruning.tensors().toString());
        org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(3);
        for (int i = 0; i < ITERATIONS; i++) {
            org.nd4j.linalg.api.ndarray.INDArray x = org.nd4j.linalg.factory.Nd4j.rand(
                    org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 5, 7);
            org.nd4j.linalg.api.ndarray.INDArray y = org.nd4j.linalg.factory.Nd4j.zeros(
                    org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 3, 7);
            for (int b = 0; b < 4; b++) {
                for (int t = 0; t < 7; t++) {
                    y.putScalar(new long[] {b, (b + t + i) % 3, t}, 1.0);
                }
            }
            net.fit(x, y);
            Inspect.assertPrunedAreZero(pruning, "time-distributed dense after iteration " + i);
        }
        assertTrue(Inspect.prunedCount(pruning) > 0);
        // 64 weights: kk = round(0.6 * 64) = 38, the reference keeps N - kk + 1 = 27, sparsity 37 / 64
        assertEquals(37.0 / 64, pruning.sparsity(), 1e-12);
    }

    private static MultiLayerNetwork timeDistributed() {
        org.deeplearning4j.nn.conf.MultiLayerConfiguration conf = Nets.base(new Sgd(0.05), Nets.Decay.NONE).list()
                .layer(new org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed(
                        new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(5).nOut(8)
                                .activation(org.nd4j.linalg.activations.Activation.TANH).name("td").build(),
                        org.deeplearning4j.nn.conf.RNNFormat.NCW))
                .layer(new org.deeplearning4j.nn.conf.layers.RnnOutputLayer.Builder(
                        org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
                        .activation(org.nd4j.linalg.activations.Activation.SOFTMAX)
                        .dataFormat(org.deeplearning4j.nn.conf.RNNFormat.NCW).name("out").build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.recurrent(5, 7,
                        org.deeplearning4j.nn.conf.RNNFormat.NCW))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static PruningConfig config() {
        return PruningConfig.builder(0.6, ITERATIONS).deltaT(3).rankLoss(RankLoss.lambda(1.0)).build();
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
