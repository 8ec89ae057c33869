package org.rpg4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.rpg4j.prune.PrunableTensor;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankLoss;
import org.rpg4j.prune.RankLossMode;
import org.rpg4j.prune.RankStep;
import org.rpg4j.prune.TensorKind;

/**
 * The regrowth score and the rank gradient are combined on the reference's scale (loss averaged over
 * the batch): DL4J listeners see gradients summed over the batch, regularizations see the mean. The
 * expected values come from a hook-free clone of the network ({@code computeGradientAndScore}, divided
 * by the batch size) and from {@link AnalyticRank} (LAPACK, double precision).
 */
class GradientScaleTest {
    static final int BATCH = 8;
    static final double LAMBDA = 2.0;
    static final double PARTIAL_K = 0.2;
    static final double L2 = 1e-3;
    static final double LR = 0.1;

    @ParameterizedTest
    @EnumSource(Nets.Kind.class)
    void capturedScoreIsBatchMeanDenseGradientPlusAnalyticRankGradient(Nets.Kind kind) {
        Model net = Nets.small(kind, new Sgd(LR), Nets.Decay.L2, false);
        PruningConfig config = PruningConfig.builder(0.5, 12).deltaT(3)
                .rankLoss(RankLoss.lambda(LAMBDA).partialK(PARTIAL_K)).build();
        Pruning pruning = Dl4jPruning.attach(net, config);
        Map<String, INDArray> weights = new HashMap<>();
        Map<String, INDArray> dense = new HashMap<>();
        pruning.observer((iteration, w, g) -> {
            if (dense.isEmpty()) {
                w.forEach((name, a) -> weights.put(name, a.dup()));
                g.forEach((name, a) -> dense.put(name, a.dup()));
            }
        });
        List<DataSet> data = Nets.data(3, BATCH, 5);
        Nets.fit(net, data.get(0));
        Nets.fit(net, data.get(1));
        Map<String, INDArray> expectedDense = batchMeanGradients(net, pruning, data.get(2));
        Nets.fit(net, data.get(2));
        assertTrue(pruning.runtime().pruner().isUpdateIteration(2));
        assertNotNull(dense.get("conv/W"), "the first topology update runs at iteration 2");

        for (PrunableTensor t : pruning.tensors()) {
            INDArray expected = expectedDense.get(t.name());
            assertClose(expected, dense.get(t.name()), 1e-5, t.name() + " captured dense gradient");
            assertTrue(expected.mul(BATCH).sub(dense.get(t.name())).amaxNumber().doubleValue() > 100 * tolerance(
                    expected, 1e-5), "the summed (listener-scale) gradient must be told apart");
        }
        // The score the pruner ranks regrowth by: dense + (lambda / nActive) * dl/dW, nActive = 1 conv layer.
        RankStep rank = pruning.runtime().pruner().rankStep(weights);
        INDArray score = dense.get("conv/W").dup();
        rank.addGradientInPlace("conv/W", score);
        INDArray analytic = AnalyticRank.gradient(weights.get("conv/W"), PARTIAL_K);
        INDArray expectedScore = expectedDense.get("conv/W").castTo(DataType.DOUBLE).add(analytic.mul(LAMBDA));
        assertClose(expectedScore, score, 1e-4, "regrowth score");
        assertTrue(analytic.mul(LAMBDA).amaxNumber().doubleValue() > 0.1 * expectedScore.amaxNumber().doubleValue(),
                "the rank term must weigh in the score for the check to mean anything");
    }

    @ParameterizedTest
    @EnumSource(Nets.Kind.class)
    void regulariserModeStepsAlongMaskedDenseL2AndRankGradient(Nets.Kind kind) {
        Model net = Nets.small(kind, new Sgd(LR), Nets.Decay.L2, false);
        PruningConfig config = PruningConfig.builder(0.6, 12).deltaT(3).rankLoss(
                RankLoss.lambda(LAMBDA).partialK(PARTIAL_K).mode(RankLossMode.REGULARISER).rankEvery(1)).build();
        Pruning pruning = Dl4jPruning.attach(net, config);
        List<DataSet> data = Nets.data(8, BATCH, 9);
        int i = 0;
        while (pruning.sparsity() == 0.0 || !pruning.runtime().pruner().addsRankGradient(i)) {
            Nets.fit(net, data.get(i++));
        }
        Map<String, INDArray> before = new HashMap<>();
        for (PrunableTensor t : pruning.tensors()) {
            before.put(t.name(), Inspect.param(net, t.name()).castTo(DataType.DOUBLE).dup());
        }
        Map<String, INDArray> gradients = batchMeanGradients(net, pruning, data.get(i));
        Nets.fit(net, data.get(i));
        for (PrunableTensor t : pruning.tensors()) {
            INDArray w0 = before.get(t.name());
            INDArray g = gradients.get(t.name()).castTo(DataType.DOUBLE).add(w0.mul(L2));
            if (t.kind() == TensorKind.CONVOLUTION) {
                g.addi(AnalyticRank.gradient(w0, PARTIAL_K).mul(LAMBDA));
            }
            INDArray mask = pruning.mask(t.name()).castTo(DataType.DOUBLE);
            INDArray expected = w0.sub(g.mul(mask).mul(LR));
            assertClose(expected, Inspect.param(net, t.name()), 1e-5, t.name() + " after a regulariser step");
        }
    }

    /** Gradient of the batch-mean loss of a hook-free clone, by tensor name. */
    private static Map<String, INDArray> batchMeanGradients(Model net, Pruning pruning, DataSet batch) {
        Map<String, INDArray> out = new HashMap<>();
        if (net instanceof MultiLayerNetwork mln) {
            MultiLayerNetwork ref = mln.clone();
            ref.setInput(batch.getFeatures());
            ref.setLabels(batch.getLabels());
            ref.computeGradientAndScore();
            for (PrunableTensor t : pruning.tensors()) {
                String layer = t.name().split("/")[0];
                int index = indexOf(mln, layer);
                out.put(t.name(), ref.gradient().getGradientFor(index + "_W").dup().divi(BATCH));
            }
        } else {
            ComputationGraph ref = ((ComputationGraph) net).clone();
            ref.setInputs(batch.getFeatures());
            ref.setLabels(batch.getLabels());
            ref.computeGradientAndScore();
            for (PrunableTensor t : pruning.tensors()) {
                out.put(t.name(), ref.gradient().getGradientFor(t.name().replace('/', '_')).dup().divi(BATCH));
            }
        }
        return out;
    }

    private static int indexOf(MultiLayerNetwork net, String layerName) {
        for (int i = 0; i < net.getnLayers(); i++) {
            if (layerName.equals(net.getLayer(i).conf().getLayer().getLayerName())) {
                return i;
            }
        }
        throw new IllegalArgumentException(layerName);
    }

    private static double tolerance(INDArray expected, double relative) {
        return relative * Math.max(1e-3, expected.amaxNumber().doubleValue());
    }

    /** Element-wise |expected - actual| <= relative * max|expected|, compared in double, any storage order. */
    static void assertClose(INDArray expected, INDArray actual, double relative, String what) {
        INDArray e = expected.castTo(DataType.DOUBLE).dup('c');
        INDArray a = actual.castTo(DataType.DOUBLE).dup('c');
        assertEquals(java.util.Arrays.toString(e.shape()), java.util.Arrays.toString(a.shape()), what + " shape");
        double diff = e.sub(a).amaxNumber().doubleValue();
        assertTrue(diff <= tolerance(expected, relative), what + ": max difference " + diff + " above "
                + tolerance(expected, relative));
    }
}
