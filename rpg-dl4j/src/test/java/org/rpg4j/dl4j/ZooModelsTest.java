package org.rpg4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.deeplearning4j.zoo.model.LeNet;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.SimpleCNN;
import org.deeplearning4j.zoo.model.VGG16;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.rpg4j.prune.PrunableTensor;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankLoss;
import org.rpg4j.prune.TensorKind;

/**
 * DL4J zoo models built from their configurations (no pretrained download), at a small input and
 * batch: attach, train a few iterations on random data, reach the target sparsity. ResNet50's zoo
 * configuration ends with a 3x3 pooling after five stride-2 stages, so 160x160 is about its smallest
 * input.
 */
class ZooModelsTest {
    static final int CLASSES = 4;
    static final int ITERATIONS = 4;

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("LeNet", (Supplier<Model>) () -> LeNet.builder().numClasses(CLASSES)
                        .inputShape(new int[] {1, 28, 28}).build().init(), new int[] {1, 28, 28},
                        MultiLayerNetwork.class),
                Arguments.of("SimpleCNN", (Supplier<Model>) ZooModelsTest::simpleCnn, new int[] {3, 32, 32},
                        MultiLayerNetwork.class),
                Arguments.of("VGG16", (Supplier<Model>) () -> VGG16.builder().numClasses(CLASSES)
                        .inputShape(new int[] {3, 32, 32}).updater(new Sgd(1e-3)).build().init(), new int[] {3, 32, 32},
                        ComputationGraph.class),
                Arguments.of("ResNet50", (Supplier<Model>) () -> ResNet50.builder().numClasses(CLASSES)
                        .inputShape(new int[] {3, 160, 160}).updater(new Sgd(1e-3)).build().init(), new int[] {3, 160,
                                160},
                        ComputationGraph.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void zooModelReachesTargetSparsity(String name, Supplier<Model> zoo, int[] input, Class<?> type) {
        Model net = zoo.get();
        assertEquals(type, net.getClass());
        // The rank loss runs on the small models; on the two big ones its SVDs would dominate the test's time.
        RankLoss rank = net.numParams() < 5_000_000 ? RankLoss.lambda(0.5).partialK(0.1) : RankLoss.none();
        PruningConfig config = PruningConfig.builder(0.9, ITERATIONS).deltaT(1).rankLoss(rank).build();
        Pruning pruning = Dl4jPruning.attach(net, config);
        assertTrue(pruning.unsupportedLayers().isEmpty(), pruning.unsupportedLayers().toString());
        long convs = pruning.tensors().stream().filter(t -> t.kind() == TensorKind.CONVOLUTION).count();
        assertTrue(convs >= 2, name + " has convolutions");
        // Updates run at iterations 0 and 1 (deltaT 1, four planned iterations): the target is reached at 1.
        int batch = net.numParams() < 5_000_000 ? 2 : 1;
        for (DataSet d : batches(input, batch)) {
            Nets.fit(net, d);
        }
        assertEquals(0.9, pruning.sparsity(), 1e-3, name);
        long nonZero = 0;
        long total = 0;
        for (PrunableTensor t : pruning.tensors()) {
            INDArray w = Inspect.param(net, t.name());
            nonZero += w.neq(0.0).castTo(DataType.INT64).sumNumber().longValue();
            total += w.length();
        }
        assertTrue(1.0 - (double) nonZero / total >= 0.9 - 1e-3, name + ": weights are zero where pruned");
    }

    /** The zoo's SimpleCNN ends in a softmax ActivationLayer, which cannot fit: add a loss layer. */
    private static Model simpleCnn() {
        MultiLayerNetwork zoo = (MultiLayerNetwork) SimpleCNN.builder().numClasses(CLASSES)
                .inputShape(new int[] {3, 32, 32}).build().init();
        return new TransferLearning.Builder(zoo).fineTuneConfiguration(new FineTuneConfiguration.Builder().build())
                .addLayer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.IDENTITY).build()).build();
    }

    private static List<DataSet> batches(int[] input, int batch) {
        Nd4j.getRandom().setSeed(3);
        return java.util.stream.IntStream.range(0, 2).mapToObj(i -> {
            INDArray x = Nd4j.rand(DataType.FLOAT, batch, input[0], input[1], input[2]).subi(0.5);
            INDArray y = Nd4j.zeros(DataType.FLOAT, batch, CLASSES);
            for (int j = 0; j < batch; j++) {
                y.putScalar(j, (i + j) % CLASSES, 1.0);
            }
            return new DataSet(x, y);
        }).toList();
    }
}
