package org.rpg4j.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.rank.AdversarialRankLoss;
import org.rpg4j.rank.BlasThreads;
import org.rpg4j.rank.RankLossAggregate;
import org.rpg4j.rank.RankLossResult;

/**
 * The rank step computes its layers concurrently, widest first: the results must be those of
 * one {@link AdversarialRankLoss#compute} per layer in tensor order, bit for bit, listed in tensor
 * order, and a failure must be the one a sequential loop would throw.
 */
class RankLossLayersTest {

    private static final double PARTIAL_K = 0.1;

    private static List<PrunableTensor> tensors() {
        return List.of(
                PrunableTensor.convolution("stem", "ConvolutionLayer", new long[] {16, 3, 3, 3}, DataType.FLOAT),
                PrunableTensor.convolution("c1", "ConvolutionLayer", new long[] {32, 16, 3, 3}, DataType.FLOAT),
                PrunableTensor.convolution("c2", "ConvolutionLayer", new long[] {64, 32, 3, 3}, DataType.FLOAT),
                PrunableTensor.convolution("down", "ConvolutionLayer", new long[] {64, 32, 1, 1}, DataType.FLOAT),
                PrunableTensor.convolution("c3", "ConvolutionLayer", new long[] {128, 64, 3, 3}, DataType.FLOAT),
                PrunableTensor.convolution("c4", "ConvolutionLayer", new long[] {64, 128, 3, 3}, DataType.FLOAT),
                PrunableTensor.dense("fc", "OutputLayer", new long[] {576, 10}, DataType.FLOAT));
    }

    private static Map<String, INDArray> weights(List<PrunableTensor> tensors, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, INDArray> weights = new LinkedHashMap<>();
        for (PrunableTensor t : tensors) {
            float[] values = new float[(int) t.length()];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextDouble() < 0.7 ? 0f : (float) (random.nextDouble() - 0.5);
            }
            char order = t.kind() == TensorKind.DENSE ? 'f' : 'c';
            INDArray w = Nd4j.create(DataType.FLOAT, t.shape(), order);
            w.assign(Nd4j.create(values, t.shape(), 'c'));
            weights.put(t.name(), w);
        }
        return weights;
    }

    private static Pruner pruner(List<PrunableTensor> tensors) {
        PruningConfig config = PruningConfig.builder(0.9, 100_000)
                .rankLoss(RankLoss.lambda(0.5).partialK(PARTIAL_K).layers(RankLayers.ALL_PRUNABLE)).build();
        return Pruner.create(config, tensors);
    }

    /** A layer's rank loss as the rank step computes it: BLAS on one thread. */
    private static RankLossResult oneBlasThread(INDArray weight) {
        int before = BlasThreads.current();
        BlasThreads.set(1);
        try {
            return AdversarialRankLoss.compute(weight, PARTIAL_K);
        } finally {
            BlasThreads.set(Math.max(1, before));
        }
    }

    @Test
    void concurrentStepGivesTheSerialResultsInTensorOrder() {
        List<PrunableTensor> tensors = tensors();
        Map<String, INDArray> weights = weights(tensors, 7L);
        Pruner pruner = pruner(tensors);
        for (int round = 0; round < 3; round++) {
            RankStep step = pruner.rankStep(weights);
            List<RankLossResult> serial = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (PrunableTensor t : tensors) {
                RankLossResult expected = oneBlasThread(weights.get(t.name()).permute(t.outputFirstAxes()));
                serial.add(expected);
                names.add(t.name());
                RankLossResult actual = step.results().get(t.name());
                String where = "round " + round + ", " + t.name();
                assertEquals(expected.k(), actual.k(), where + ": k");
                assertEquals(Double.doubleToLongBits(expected.loss()), Double.doubleToLongBits(actual.loss()),
                        where + ": loss");
                assertArrayEquals(expected.gradient().dup('c').data().asFloat(),
                        actual.gradient().dup('c').data().asFloat(), 0f, where + ": gradient");
            }
            assertEquals(names, new ArrayList<>(step.results().keySet()), "results in tensor order");
            RankLossAggregate aggregate = AdversarialRankLoss.aggregate(serial, 0.5);
            assertEquals(aggregate, step.aggregate(), "aggregate");
            assertEquals(tensors.size(), step.aggregate().activeLayers());
        }
    }

    @Test
    void blasThreadCountIsRestoredAfterAStepAndAfterAFailedStep() {
        List<PrunableTensor> tensors = tensors();
        Map<String, INDArray> weights = weights(tensors, 9L);
        Pruner pruner = pruner(tensors);
        int before = BlasThreads.current();
        try {
            BlasThreads.set(2);
            pruner.rankStep(weights);
            assertEquals(2, BlasThreads.current(), "after a step");
            weights.get("c2").putScalar(3, Float.NaN);
            assertThrows(IllegalArgumentException.class, () -> pruner.rankStep(weights));
            assertEquals(2, BlasThreads.current(), "after a failed step");
        } finally {
            BlasThreads.set(Math.max(1, before));
        }
    }

    @Test
    void blasThreadsRefusesFewerThanOneThread() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BlasThreads.set(0));
        assertTrue(e.getMessage().contains("threads must be >= 1, got 0"), e.getMessage());
    }

    @Test
    void failureIsTheFirstFailingLayerInTensorOrder() {
        List<PrunableTensor> tensors = tensors();
        Map<String, INDArray> weights = weights(tensors, 8L);
        // c1 [32, 16, 3, 3] fails first in tensor order; c3 [128, 64, 3, 3] is computed first (widest)
        weights.get("c1").putScalar(5, Float.NaN);
        weights.get("c3").putScalar(9, Float.POSITIVE_INFINITY);
        Pruner pruner = pruner(tensors);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pruner.rankStep(weights));
        assertTrue(e.getMessage().contains("[32, 16, 3, 3]"), e.getMessage());
    }

    @Test
    void allZeroLayerIsInactiveAndTheOthersAreUnchanged() {
        List<PrunableTensor> tensors = tensors();
        Map<String, INDArray> weights = weights(tensors, 9L);
        weights.get("c2").assign(0);
        RankStep step = pruner(tensors).rankStep(weights);
        assertEquals(0, step.results().get("c2").k());
        assertEquals(0.0, step.results().get("c2").gradient().amaxNumber().doubleValue());
        assertEquals(tensors.size() - 1, step.aggregate().activeLayers());
        RankLossResult c4 = oneBlasThread(weights.get("c4"));
        assertEquals(Double.doubleToLongBits(c4.loss()), Double.doubleToLongBits(step.results().get("c4").loss()));
    }
}
