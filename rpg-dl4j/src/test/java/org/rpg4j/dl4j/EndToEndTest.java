package org.rpg4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rpg4j.prune.LayerReport;
import org.rpg4j.prune.PrunableTensor;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankLoss;
import org.rpg4j.prune.RankLossMode;
import org.rpg4j.prune.TensorKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small CNN trained on generated data (three classes, each a fixed random 12x12 template plus
 * noise) and pruned to 95 % with the reference recipe for that sparsity (lambda 3, partialK 0.2).
 */
class EndToEndTest {
    private static final Logger LOG = LoggerFactory.getLogger(EndToEndTest.class);
    static final int ITERATIONS = 40;
    static final int CLASSES = 3;

    static MultiLayerNetwork cnn() {
        MultiLayerConfiguration conf = Nets.base(new Adam(5e-3), Nets.Decay.L2).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(16).activation(Activation.RELU).name("conv1").build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX, new int[] {2, 2}).name("pool")
                        .build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(32).activation(Activation.RELU).name("conv2").build())
                .layer(new DenseLayer.Builder().nOut(32).activation(Activation.RELU).name("fc").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).name("out").build())
                .setInputType(InputType.convolutional(12, 12, 1)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static List<DataSet> data(int batches, long seed) {
        Nd4j.getRandom().setSeed(99);
        INDArray templates = Nd4j.rand(DataType.FLOAT, CLASSES, 1, 12, 12);
        Nd4j.getRandom().setSeed(seed);
        List<DataSet> out = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 16, 1, 12, 12).muli(0.8);
            INDArray y = Nd4j.zeros(DataType.FLOAT, 16, CLASSES);
            for (int i = 0; i < 16; i++) {
                int c = (b * 5 + i * 7) % CLASSES;
                x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).addi(templates.get(
                        org.nd4j.linalg.indexing.NDArrayIndex.point(c)));
                y.putScalar(i, c, 1.0);
            }
            out.add(new DataSet(x, y));
        }
        return out;
    }

    static PruningConfig config(RankLoss rank) {
        return PruningConfig.builder(0.95, ITERATIONS).deltaT(5).rankLoss(rank).seed(7).build();
    }

    @Test
    void prunesSmallCnnTo95PercentAndStillLearns() {
        MultiLayerNetwork net = cnn();
        Pruning pruning = Dl4jPruning.attach(net, config(RankLoss.lambda(3.0).partialK(0.2)));
        List<DataSet> data = data(ITERATIONS, 1);
        DataSet test = data(1, 1000).get(0);
        double before = net.score(test);
        for (DataSet d : data) {
            net.fit(d);
            Inspect.assertPrunedAreZero(pruning, "end to end");
        }
        LOG.info("end to end at 95 %:\n{}", pruning.report());
        assertEquals(0.95, pruning.sparsity(), 1e-3);
        assertTrue(pruning.report().globalSparsity() >= 0.95 - 1e-3);
        assertTrue(net.score(test) < before, "loss " + before + " -> " + net.score(test));
    }

    @Test
    void rankLossChangesWhichConnectionsAreGrownInReferenceMode() {
        List<DataSet> data = data(ITERATIONS, 2);
        MultiLayerNetwork withRank = cnn();
        MultiLayerNetwork without = cnn();
        Pruning rpg = Dl4jPruning.attach(withRank, config(RankLoss.lambda(3.0).partialK(0.2)));
        Pruning rigl = Dl4jPruning.attach(without, config(RankLoss.none()));
        List<Map<String, INDArray>> seen = new ArrayList<>();
        rpg.observer((it, w, g) -> seen.add(copy(w)));
        rigl.observer((it, w, g) -> seen.add(copy(w)));
        int i = 0;
        while (rpg.sparsity() == 0.0) {
            withRank.fit(data.get(i));
            without.fit(data.get(i));
            i++;
        }
        Map<String, INDArray> a = seen.get(seen.size() - 2);
        Map<String, INDArray> b = seen.get(seen.size() - 1);
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name).data().asFloat(), b.get(name).data().asFloat(),
                    name + ": in reference mode the rank loss never moves weights");
        }
        boolean differ = false;
        for (PrunableTensor t : rpg.tensors()) {
            float[] m1 = rpg.mask(t.name()).data().asFloat();
            float[] m2 = rigl.mask(t.name()).data().asFloat();
            assertEquals(sum(m1), sum(m2), t.name() + ": same magnitude budget per layer");
            if (t.kind() == TensorKind.CONVOLUTION) {
                differ |= !java.util.Arrays.equals(m1, m2);
            } else {
                assertArrayEquals(m1, m2, t.name() + " has no rank loss: same growth");
            }
        }
        assertTrue(differ, "with the same seed, the rank loss changes which connections are grown");
    }

    @Test
    void regulariserModeRaisesDeltaRankOfSparseLayers() {
        List<DataSet> data = data(ITERATIONS, 3);
        Map<String, Integer> withRank = deltaRanks(RankLoss.lambda(3.0).partialK(0.2)
                .mode(RankLossMode.REGULARISER).rankEvery(1), data);
        Map<String, Integer> without = deltaRanks(RankLoss.none(), data);
        LOG.info("delta-rank with rank loss {} / without {}", withRank, without);
        int sumWith = withRank.values().stream().mapToInt(Integer::intValue).sum();
        int sumWithout = without.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(sumWith > sumWithout, "delta-rank " + withRank + " vs lambda 0: " + without);
        assertFalse(withRank.isEmpty());
    }

    private static Map<String, Integer> deltaRanks(RankLoss rank, List<DataSet> data) {
        MultiLayerNetwork net = cnn();
        Pruning pruning = Dl4jPruning.attach(net, config(rank));
        data.forEach(net::fit);
        Map<String, Integer> out = new TreeMap<>();
        for (LayerReport l : pruning.report().layers()) {
            if (l.layerType().equals("ConvolutionLayer")) {
                out.put(l.name(), l.deltaRank());
            }
        }
        return out;
    }

    private static Map<String, INDArray> copy(Map<String, INDArray> arrays) {
        Map<String, INDArray> out = new TreeMap<>();
        arrays.forEach((k, v) -> out.put(k, v.dup('c')));
        return out;
    }

    private static double sum(float[] values) {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s;
    }
}
