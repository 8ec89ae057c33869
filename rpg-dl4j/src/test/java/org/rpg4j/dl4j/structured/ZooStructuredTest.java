package org.rpg4j.dl4j.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.SqueezeNet;
import org.deeplearning4j.zoo.model.UNet;
import org.deeplearning4j.zoo.model.VGG16;
import org.deeplearning4j.zoo.model.Xception;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.structured.ChannelGroup;

/**
 * The DL4J zoo's configurations (no pretrained download) at small inputs: analyse, remove 50 % of
 * the channels of every prunable group, check the report, and train the smaller network one
 * iteration.
 */
class ZooStructuredTest {
    static final int CLASSES = 4;

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("ResNet50", (Supplier<Model>) () -> ResNet50.builder().numClasses(CLASSES)
                        .inputShape(new int[] {3, 160, 160}).updater(new Sgd(1e-3)).build().init(), new int[] {3, 160,
                                160}),
                Arguments.of("VGG16", (Supplier<Model>) () -> VGG16.builder().numClasses(CLASSES)
                        .inputShape(new int[] {3, 32, 32}).updater(new Sgd(1e-3)).build().init(), new int[] {3, 32,
                                32}),
                Arguments.of("SqueezeNet", (Supplier<Model>) () -> SqueezeNet.builder().numClasses(CLASSES)
                        .inputShape(new int[] {3, 64, 64}).updater(new Sgd(1e-3)).build().init(), new int[] {3, 64,
                                64}),
                Arguments.of("Xception", (Supplier<Model>) () -> Xception.builder().numClasses(CLASSES)
                        .inputShape(new int[] {3, 71, 71}).updater(new Sgd(1e-3)).build().init(), new int[] {3, 71,
                                71}),
                Arguments.of("UNet", (Supplier<Model>) () -> UNet.builder()
                        .inputShape(new int[] {3, 32, 32}).updater(new Sgd(1e-3)).build().init(), new int[] {3, 32,
                                32}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void analysesShrinksAtHalfTheChannelsAndTrains(String name, Supplier<Model> zoo, int[] shape) {
        Model net = zoo.get();
        ChannelDependencies deps = ChannelDependencies.analyse(net);
        assertFalse(deps.prunableGroups().isEmpty(), name + " groups: " + deps.groups());
        StructuredResult result = StructuredPruning.prune(net,
                StructuredConfig.builder(0.5).inputShape(shape[0], shape[1], shape[2]).build());
        StructuredReport report = result.report();
        // every prunable group loses floor(size / 2) channels
        for (ChannelGroup g : deps.prunableGroups()) {
            int kept = org.rpg4j.structured.KeepSelection.count(result.selection().keep(g));
            assertEquals(g.size() - Math.min(g.size() / 2, g.size() - 1), kept, g.toString());
        }
        assertTrue(report.paramsAfter() < 0.6 * report.paramsBefore(), report.toString());
        assertTrue(report.macsAfter() > 0 && report.macsAfter() < 0.6 * report.macsBefore(), report.toString());
        assertEquals(result.network().numParams(), report.paramsAfter());
        trainOneIteration(result.network(), shape, name);
    }

    static void trainOneIteration(Model net, int[] shape, String name) {
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, shape[0], shape[1], shape[2]);
        INDArray out = net instanceof MultiLayerNetwork m ? m.output(x) : ((ComputationGraph) net).outputSingle(x);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, out.shape());
        if (out.rank() == 2) {
            labels.putScalar(0, 1, 1.0);
        } else {
            labels.assign(Nd4j.rand(DataType.FLOAT, out.shape()).gt(0.5).castTo(DataType.FLOAT));
        }
        INDArray before = net.params().dup();
        if (net instanceof MultiLayerNetwork m) {
            m.fit(new DataSet(x, labels));
        } else {
            ((ComputationGraph) net).fit(new DataSet(x, labels));
        }
        assertTrue(Double.isFinite(net.score()), name + " score " + net.score());
        assertTrue(net.params().sub(before).amaxNumber().doubleValue() > 0, name + ": the step changed no weight");
    }
}
