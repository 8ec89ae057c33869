package org.rpg4j.examples.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;
import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.dl4j.structured.StructuredConfig;
import org.rpg4j.dl4j.structured.StructuredPruning;
import org.rpg4j.dl4j.structured.StructuredResult;
import org.rpg4j.structured.ChannelGroup;

/**
 * Structured pruning of the examples' own models: CIFAR ResNet-20/56 with option-A and option-B
 * shortcuts and VGG-19, with DL4J's and rpg4j's fast layers.
 */
class StructuredModelsTest {
    private static final int SIDE = 16;

    private static NetworkSettings settings(LayerKit kit) {
        return new NetworkSettings(3, SIDE, SIDE, 10, new Sgd(0.01), 5e-4, kit, 1);
    }

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of(ModelKind.RESNET20, ShortcutKind.A, StandardLayers.INSTANCE),
                Arguments.of(ModelKind.RESNET20, ShortcutKind.B, FastLayerKit.INSTANCE),
                Arguments.of(ModelKind.RESNET56, ShortcutKind.A, FastLayerKit.INSTANCE),
                Arguments.of(ModelKind.RESNET56, ShortcutKind.B, StandardLayers.INSTANCE),
                Arguments.of(ModelKind.VGG19, ShortcutKind.A, FastLayerKit.INSTANCE));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("models")
    void halfTheChannelsGoAndTheSmallerNetworkTrains(ModelKind kind, ShortcutKind shortcut, LayerKit kit) {
        ComputationGraph net = kind.build(1, shortcut, settings(kit));
        ChannelDependencies deps = ChannelDependencies.analyse(net);
        // only the network input and the softmax outputs are locked
        assertEquals(2, deps.groups().stream().filter(ChannelGroup::locked).count(), deps.groups().toString());
        StructuredResult r = StructuredPruning.prune(net, StructuredConfig.builder(0.5).inputShape(3, SIDE, SIDE)
                .build());
        assertTrue(r.report().paramsAfter() < 0.3 * r.report().paramsBefore(), r.report().toString());
        assertTrue(r.report().macsAfter() < 0.3 * r.report().macsBefore(), r.report().toString());
        ComputationGraph smaller = (ComputationGraph) r.network();
        Nd4j.getRandom().setSeed(2);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, SIDE, SIDE);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 2, 10);
        y.putScalar(0, 3, 1.0);
        y.putScalar(1, 7, 1.0);
        INDArray before = smaller.params().dup();
        smaller.fit(new DataSet(x, y));
        assertTrue(Double.isFinite(smaller.score()));
        assertTrue(smaller.params().sub(before).amaxNumber().doubleValue() > 0);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("models")
    void deadInnerChannelsGoWithoutChangingTheOutputs(ModelKind kind, ShortcutKind shortcut, LayerKit kit) {
        ComputationGraph net = kind.build(1, shortcut, settings(kit));
        String[] convs = kind == ModelKind.VGG19 ? new String[] {"c1_1", "c3_2"} : new String[] {"s1b1_1", "s2b1_1"};
        for (String prefix : convs) {
            if (net.getLayer(prefix + "_conv") == null) {
                continue;
            }
            // filter 1 all zero; its BN maps it to beta - gamma * mean / std = -1 / std < 0; ReLU -> exactly 0
            zeroFilter(net.getLayer(prefix + "_conv"), 1);
            Layer bn = net.getLayer(prefix + "_bn");
            bn.getParam("gamma").putScalar(1, 1.0);
            bn.getParam("beta").putScalar(1, -1.0);
            bn.getParam("mean").putScalar(1, 0.0);
        }
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, SIDE, SIDE);
        StructuredResult r = StructuredPruning.removeDeadChannels(net, new int[] {3, SIDE, SIDE});
        assertTrue(r.report().inexactFolds().isEmpty(), r.report().inexactFolds().toString());
        long removed = net.numParams() - r.network().numParams();
        assertTrue(removed > 0, "dead channels removed: " + removed);
        double diff = net.outputSingle(false, x).sub(((ComputationGraph) r.network()).outputSingle(false, x))
                .amaxNumber().doubleValue();
        assertTrue(diff <= 1e-5, "max |output difference| " + diff);
    }

    private static void zeroFilter(Layer conv, int filter) {
        conv.getParam("W").get(NDArrayIndex.point(filter), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                .assign(0.0);
        if (conv.paramTable().containsKey("b")) {
            conv.getParam("b").putScalar(filter, 0.0);
        }
    }
}
