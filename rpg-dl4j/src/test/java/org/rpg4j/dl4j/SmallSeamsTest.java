package org.rpg4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.scorecalc.ScoreCalculator;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.earlystopping.trainer.EarlyStoppingTrainer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.weightnoise.DropConnect;
import org.deeplearning4j.nn.conf.weightnoise.IWeightNoise;
import org.deeplearning4j.nn.conf.weightnoise.WeightNoise;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.rpg4j.prune.PrunableTensor;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankLoss;
import org.rpg4j.prune.RankLossMode;

/**
 * The smaller DL4J seams (issue 11 item 5), each either handled or refused with a clear message:
 * weight noise, {@code miniBatch(false)}, early stopping before the target. (Shared configurations:
 * {@link SharedNetworksTest}; replaced parameters: {@link ParameterIntegrityTest}; parameterised
 * vertices: {@link ParameterisedVertexTest}.)
 */
class SmallSeamsTest {

    @Test
    void additiveWeightNoiseIsRefusedAtAttach() {
        MultiLayerNetwork net = withWeightNoise(new WeightNoise(new NormalDistribution(0, 0.01), true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dl4jPruning.attach(net, SaveRestoreTest.config()));
        assertTrue(e.getMessage().contains("layer 'dense'") && e.getMessage().contains("additive"), e.getMessage());
    }

    @Test
    void dropConnectAndMultiplicativeNoiseKeepPrunedWeightsAtZero() {
        for (IWeightNoise noise : List.of(new DropConnect(0.8), new WeightNoise(new NormalDistribution(1, 0.1),
                false))) {
            MultiLayerNetwork net = withWeightNoise(noise);
            Pruning pruning = Dl4jPruning.attach(net, SaveRestoreTest.config());
            for (DataSet d : Nets.data(SaveRestoreTest.ITERATIONS, 4, 13)) {
                net.fit(d);
                Inspect.assertPrunedAreZero(pruning, noise.getClass().getSimpleName());
            }
            assertTrue(pruning.sparsity() > 0.75);
        }
    }

    /**
     * With {@code miniBatch(false)} DL4J does not divide the gradient by the minibatch size. The
     * captured regrowth score is still the batch-mean gradient, and the rank gradient keeps its
     * weight lambda against the loss gradient: the SGD step is exactly the batch size times the
     * {@code miniBatch(true)} step (same start, same batch).
     */
    @Test
    void miniBatchFalseKeepsTheCapturedScoreAndTheRankWeight() {
        PruningConfig captureAtFirst = PruningConfig.builder(0.7, 4).deltaT(1)
                .rankLoss(RankLoss.none()).build();
        PruningConfig rankEveryStep = PruningConfig.builder(0.7, 12).deltaT(3)
                .rankLoss(RankLoss.lambda(1.0).partialK(0.2).mode(RankLossMode.REGULARISER).rankEvery(1)).build();
        int batch = 4;
        DataSet data = Nets.data(1, batch, 14).get(0);
        Map<Boolean, Map<String, INDArray>> captured = new HashMap<>();
        Map<Boolean, Map<String, INDArray>> steps = new HashMap<>();
        List<PrunableTensor> tensors = null;
        for (boolean miniBatch : new boolean[] {true, false}) {
            MultiLayerNetwork net = miniBatchNet(miniBatch);
            Pruning pruning = Dl4jPruning.attach(net, captureAtFirst);
            Map<String, INDArray> first = new HashMap<>();
            pruning.observer((iteration, weights, gradients) -> gradients.forEach((n, g) -> first.put(n, g.dup())));
            net.fit(data);
            captured.put(miniBatch, first);

            MultiLayerNetwork ranked = miniBatchNet(miniBatch);
            Pruning rankPruning = Dl4jPruning.attach(ranked, rankEveryStep);
            tensors = rankPruning.tensors();
            Map<String, INDArray> before = new HashMap<>();
            tensors.forEach(t -> before.put(t.name(), Inspect.param(ranked, t.name()).dup()));
            ranked.fit(data);
            Map<String, INDArray> step = new HashMap<>();
            tensors.forEach(t -> step.put(t.name(), before.get(t.name()).sub(Inspect.param(ranked, t.name()))));
            steps.put(miniBatch, step);
        }
        for (PrunableTensor t : tensors) {
            assertRelativelyClose(captured.get(true).get(t.name()), captured.get(false).get(t.name()), 1e-5,
                    t.name() + ": the captured gradient is the batch mean whatever miniBatch says");
            assertRelativelyClose(steps.get(true).get(t.name()).mul(batch), steps.get(false).get(t.name()), 1e-3,
                    t.name() + ": a rank step with miniBatch(false) is batch times the miniBatch(true) step");
        }
    }

    private static void assertRelativelyClose(INDArray expected, INDArray actual, double tolerance, String what) {
        double scale = expected.norm2Number().doubleValue();
        assertTrue(scale > 0, what + ": nothing to compare");
        assertEquals(0.0, expected.sub(actual).norm2Number().doubleValue() / scale, tolerance, what);
    }

    private static MultiLayerNetwork miniBatchNet(boolean miniBatch) {
        MultiLayerConfiguration conf = Nets.base(new Sgd(0.05), Nets.Decay.NONE).miniBatch(miniBatch).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.TANH).name("conv").build())
                .layer(new DenseLayer.Builder().nOut(12).activation(Activation.TANH).name("dense").build())
                .layer(Nets.output())
                .setInputType(InputType.convolutional(Nets.SIZE, Nets.SIZE, Nets.CHANNELS)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Early stopping with the wrapper never keeps a model from before the pruning target. */
    @Test
    void earlyStoppingKeepsOnlyModelsAtTheTarget() {
        MultiLayerNetwork net = Nets.smallMln(new Adam(0.01), Nets.Decay.NONE, false);
        int batches = 4;
        PruningConfig config = PruningConfig.builder(0.8, 5L * batches).deltaT(2)
                .rankLoss(RankLoss.none()).build();
        Pruning pruning = Dl4jPruning.attach(net, config);
        // a score that favours early epochs: without the wrapper the first epoch's model is the best
        ScoreCalculator<MultiLayerNetwork> earlyIsBest = new ScoreCalculator<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public double calculateScore(MultiLayerNetwork network) {
                return network.getEpochCount();
            }

            @Override
            public boolean minimizeScore() {
                return true;
            }
        };
        InMemoryModelSaver<MultiLayerNetwork> saver = new InMemoryModelSaver<>();
        EarlyStoppingConfiguration<MultiLayerNetwork> es = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .epochTerminationConditions(new MaxEpochsTerminationCondition(5))
                .scoreCalculator(new TargetSparsityScoreCalculator<>(pruning, earlyIsBest)).modelSaver(saver)
                .build();
        EarlyStoppingResult<MultiLayerNetwork> result = new EarlyStoppingTrainer(es, net,
                new ListDataSetIterator<>(Nets.data(batches, 4, 15), 1)).fit();
        MultiLayerNetwork best = result.getBestModel();
        long zeros = 0;
        long total = 0;
        for (PrunableTensor t : pruning.tensors()) {
            INDArray w = Inspect.param(best, t.name());
            zeros += w.length() - w.neq(0.0).castTo(org.nd4j.linalg.api.buffer.DataType.INT32).sumNumber().longValue();
            total += w.length();
        }
        assertTrue(pruning.reachedTarget());
        assertEquals(0.8, (double) zeros / total, 0.02, "best model (epoch " + result.getBestModelEpoch()
                + ") must be at the target sparsity");
        assertTrue(result.getBestModelEpoch() > 0, "epoch 0 ends before the target");
    }

    private static MultiLayerNetwork withWeightNoise(IWeightNoise noise) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(12345)
                .dataType(org.nd4j.linalg.api.buffer.DataType.FLOAT).updater(new Adam(0.01)).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.RELU).name("conv").build())
                .layer(new DenseLayer.Builder().nOut(12).activation(Activation.RELU).weightNoise(noise).name("dense")
                        .build())
                .layer(Nets.output())
                .setInputType(InputType.convolutional(Nets.SIZE, Nets.SIZE, Nets.CHANNELS)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
