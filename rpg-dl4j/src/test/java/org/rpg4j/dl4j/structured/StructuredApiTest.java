package org.rpg4j.dl4j.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.dl4j.shrink.NetworkShrinker;
import org.rpg4j.structured.ChannelGroup;
import org.rpg4j.structured.KeepSelection;

/** The public API: report numbers, configuration JSON, attach/finish, locking, and errors that name the value. */
class StructuredApiTest {

    /** conv3x3(2->8) - BN - conv3x3(8->6) - GAP - dense(6->3); input 2x6x6, Truncate, no padding. */
    private static MultiLayerConfiguration small(boolean withLrn) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT)
                .updater(new Sgd(0.01)).convolutionMode(ConvolutionMode.Truncate).activation(Activation.RELU).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).build())
                .layer(new BatchNormalization.Builder().build());
        if (withLrn) {
            b.layer(new LocalResponseNormalization.Builder().build());
        }
        return b.layer(new ConvolutionLayer.Builder(3, 3).nOut(6).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(6, 6, 2)).build();
    }

    private static MultiLayerNetwork net(boolean withLrn) {
        MultiLayerNetwork net = new MultiLayerNetwork(small(withLrn));
        net.init();
        return net;
    }

    @Test
    void reportCountsChannelsParametersAndMacs() {
        StructuredResult r = StructuredPruning.prune(net(false), StructuredConfig.builder(0.5).inputShape(2, 6, 6)
                .build());
        StructuredReport.Row conv0 = r.report().layers().get(0);
        // conv0: 8 -> 4 filters; params 8*2*9 + 8 = 152 -> 4*2*9 + 4 = 76; output 4x4: MACs 16 * 144 = 2304 -> 16 * 72 = 1152
        assertEquals(8, conv0.before().channels());
        assertEquals(4, conv0.after().channels());
        assertEquals(152, conv0.before().params());
        assertEquals(76, conv0.after().params());
        assertEquals(2304, conv0.before().macs());
        assertEquals(1152, conv0.after().macs());
        StructuredReport.Row conv2 = r.report().layers().get(2);
        // conv2: 6x8x9 -> 3x4x9 weights on a 2x2 output: MACs 4 * 432 = 1728 -> 4 * 108 = 432
        assertEquals(1728, conv2.before().macs());
        assertEquals(432, conv2.after().macs());
        // output layer: never pruned on its outputs, 6 -> 3 inputs
        StructuredReport.Row out = r.report().layers().get(3);
        assertEquals(3, out.after().channels());
        assertEquals(3 * 3 + 3, out.after().params());
        assertEquals(r.network().numParams(), r.report().paramsAfter());
        assertTrue(r.report().lockedGroups().stream().anyMatch(l -> l.contains("softmax")), r.report().toString());
        assertTrue(r.report().toJson().contains("\"macsAfter\""));
    }

    @Test
    void channelMixingLayerLocksItsGroupWithTheReason() {
        ChannelDependencies deps = ChannelDependencies.analyse(net(true));
        ChannelGroup first = deps.groups().stream().filter(g -> g.producers().contains("layer0")).findFirst()
                .orElseThrow();
        assertTrue(first.locked());
        assertTrue(first.lockReason().orElseThrow().contains("LocalResponseNormalization"), first.toString());
        StructuredResult r = StructuredPruning.prune(net(true), StructuredConfig.builder(0.5).build());
        assertEquals(8, r.report().layers().get(0).after().channels());
        assertEquals(3, r.report().layers().get(3).after().channels());
    }

    @Test
    void configurationRoundTripsThroughJson() {
        StructuredConfig c = StructuredConfig.builder(0.7).exclude("layer0").layerSparsity("layer2", 0.25)
                .inputShape(3, 32, 32).build();
        StructuredConfig back = StructuredConfig.fromJson(c.toJson());
        assertEquals(c, back);
        assertEquals(0.25, back.layerSparsity().get("layer2"));
        assertEquals(List.of(3, 32, 32), java.util.Arrays.stream(back.inputShape().orElseThrow()).boxed().toList());
    }

    @Test
    void exclusionsAndPerLayerSparsityApply() {
        StructuredResult r = StructuredPruning.prune(net(false), StructuredConfig.builder(0.5).exclude("layer0")
                .layerSparsity("layer2", 0.34).build());
        assertEquals(8, r.report().layers().get(0).after().channels());
        // floor(0.34 * 6) = 2 removed
        assertEquals(4, r.report().layers().get(2).after().channels());
    }

    @Test
    void attachPrunesTheTrainedWeightsAtFinish() {
        MultiLayerNetwork net = net(false);
        StructuredRun run = StructuredPruning.attach(net, StructuredConfig.builder(0.5).build());
        StructuredResult r = run.finish();
        assertEquals(4, r.report().layers().get(0).after().channels());
        IllegalStateException e = assertThrows(IllegalStateException.class, run::finish);
        assertTrue(e.getMessage().contains("already finished"));
    }

    @Test
    void badInputGetsAnErrorNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StructuredConfig.builder(1.0));
        assertTrue(e.getMessage().contains("channelSparsity must be in [0, 1), got 1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StructuredConfig.builder(-0.1));
        assertTrue(e.getMessage().contains("got -0.1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> StructuredPruning.prune(net(false), StructuredConfig.builder(0.5).exclude("conv9").build()));
        assertTrue(e.getMessage().contains("'conv9'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> StructuredPruning.prune(net(false), StructuredConfig.builder(0.5).layerSparsity("nope", 0.2)
                        .build()));
        assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StructuredConfig.builder(0.5).criterion("l7"));
        assertTrue(e.getMessage().contains("'l7'"), e.getMessage());
        IllegalStateException s = assertThrows(IllegalStateException.class,
                () -> StructuredPruning.prune(new MultiLayerNetwork(small(false)), StructuredConfig.builder(0.5)
                        .build()));
        assertTrue(s.getMessage().contains("not initialised"), s.getMessage());
        // a layer left with no channel
        ChannelDependencies deps = ChannelDependencies.analyse(net(false));
        ChannelGroup g = deps.prunableGroups().get(0);
        e = assertThrows(IllegalArgumentException.class, () -> KeepSelection.keepAll().with(g.id(), new boolean[g
                .size()]));
        assertTrue(e.getMessage().contains("keeps no channel"), e.getMessage());
        // a locked group cannot lose channels
        ChannelGroup locked = deps.groups().stream().filter(ChannelGroup::locked).findFirst().orElseThrow();
        boolean[] keepOne = new boolean[locked.size()];
        keepOne[0] = true;
        e = assertThrows(IllegalArgumentException.class,
                () -> NetworkShrinker.shrink(deps, KeepSelection.keepAll().with(locked.id(), keepOne)));
        assertTrue(e.getMessage().contains("is locked"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StructuredPruning.removeDeadChannels(net(false),
                new int[] {3, 0, 2}));
        assertTrue(e.getMessage().contains("[3, 0, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StructuredConfig.fromJson("{\"format\": 9}"));
        assertTrue(e.getMessage().contains("format 9"), e.getMessage());
    }
}
