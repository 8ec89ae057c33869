package org.rpg4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.prune.PrunableTensor;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankLoss;
import org.rpg4j.prune.RankLossMode;

/** Spark local[2], ParameterAveragingTrainingMaster: masks decided on the driver, enforced everywhere. */
class SparkPruningTest {
    private static final double TARGET = 0.8;
    private static final int ROUNDS = 8;
    // Each round: 2 workers x averaging frequency 2 = 2 iterations per worker.
    private static final int ITERATIONS = ROUNDS * SparkNets.AVERAGING;
    /** Global sparsity may miss the target by the rounding of per-layer counts. */
    private static final double SPARSITY_TOLERANCE = 0.02;
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkNets.context("local[2]");
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static PruningConfig config(long seed) {
        return PruningConfig.builder(TARGET, ITERATIONS).rankLoss(RankLoss.none()).deltaT(SparkNets.AVERAGING)
                .seed(seed).build();
    }

    @Test
    void cnnReachesTargetWithMasksConsistentAfterEveryRound() {
        SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(sc, SparkNets.cnn(1), SparkNets.masterBuilder(1).build());
        SparkPruning pruning = SparkPruning.attach(net, config(1));
        int updates = 0;
        for (int r = 0; r < ROUNDS; r++) {
            RoundResult result = pruning.fitRound(SparkNets.roundRdd(sc, 1, r));
            checkRound(pruning, result);
            updates += result.update().isPresent() ? 1 : 0;
        }
        assertTrue(updates >= 3, "topology updates run: " + updates);
        assertTrue(pruning.reachedTarget());
        assertEquals(TARGET, pruning.sparsity(), SPARSITY_TOLERANCE);
        assertEquals(ITERATIONS, pruning.iteration());
    }

    @Test
    void resnetReachesTargetWithMasksConsistentAfterEveryRound() {
        SparkComputationGraph net = new SparkComputationGraph(sc, SparkNets.resnet(2),
                SparkNets.masterBuilder(2).build());
        SparkPruning pruning = SparkPruning.attach(net, config(2));
        assertEquals(List.of("stem_W", "c1_W", "c2_W", "out_W"), pruning.tensors().stream().map(PrunableTensor::name)
                .toList(), "the three convolutions and the output layer are pruned (PrunableLayers.defaults())");
        for (int r = 0; r < ROUNDS; r++) {
            RoundResult result = pruning.fitRound(SparkNets.roundRdd(sc, 2, r));
            checkRound(pruning, result);
        }
        assertTrue(pruning.reachedTarget());
        assertEquals(TARGET, pruning.sparsity(), SPARSITY_TOLERANCE);
    }

    @Test
    void sameSeedGivesSameMasks() {
        Map<String, INDArray> first = masksAfter(SparkPruning.attach(newCnn(3), config(3)), 3, 0, ROUNDS);
        Map<String, INDArray> second = masksAfter(SparkPruning.attach(newCnn(3), config(3)), 3, 0, ROUNDS);
        assertMasksEqual(first, second);
    }

    @Test
    void resumesFromSavedModelWithTheUninterruptedMasks(@TempDir Path dir) throws IOException {
        Map<String, INDArray> straight = masksAfter(SparkPruning.attach(newCnn(4), config(4)), 4, 0, ROUNDS);

        SparkPruning before = SparkPruning.attach(newCnn(4), config(4));
        masksAfter(before, 4, 0, ROUNDS / 2);
        File file = dir.resolve("spark-pruned.zip").toFile();
        before.save(file);
        MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(file, true);
        SparkPruning after = SparkPruning.restore(new SparkDl4jMultiLayer(sc, loaded, SparkNets.masterBuilder(4)
                .build()),
                file);
        assertEquals(ROUNDS / 2, after.round());
        assertEquals(ITERATIONS / 2, after.iteration());
        assertMasksEqual(masks(before), masks(after));
        assertMasksEqual(straight, masksAfter(after, 4, ROUNDS / 2, ROUNDS));
    }

    @Test
    void sharedTrainingMasterIsRefusedAtAttach() {
        SharedTrainingMaster shared = new SharedTrainingMaster(SparkNets.masterBuilder(5));
        SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(sc, SparkNets.cnn(5), shared);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkPruning.attach(net, config(5)));
        assertTrue(e.getMessage().contains("SharedTrainingMaster"), e.getMessage());
        assertTrue(shared.getTrainingHookList() == null || shared.getTrainingHookList().isEmpty(),
                "nothing was attached");
    }

    @Test
    void shortDeltaTIsRefusedAtAttach() {
        IllegalArgumentException delta = assertThrows(IllegalArgumentException.class,
                () -> SparkPruning.attach(newCnn(6),
                        PruningConfig.builder(TARGET, ITERATIONS).rankLoss(RankLoss.none()).deltaT(1)
                                .rampEndFraction(0.5).updateEndFraction(0.5).build())); // 7 of 16 skipped: allowed
        assertTrue(delta.getMessage().contains("deltaT must be >= the averaging frequency (2)"), delta.getMessage());
    }

    /**
     * REFERENCE mode (the default) uses the rank loss only inside topology updates, on the driver;
     * REGULARISER mode also adds its gradient on the executors every {@code rankEvery} iterations
     * (here every iteration that is not an update iteration).
     */
    @Test
    void rankLossReachesTheTopologyUpdatesAndTheExecutors() {
        SparkDl4jMultiLayer net = newCnn(8);
        SparkPruning pruning = SparkPruning.attach(net, PruningConfig.builder(TARGET, ITERATIONS)
                .rankLoss(RankLoss.lambda(3.0).mode(RankLossMode.REGULARISER).rankEvery(1))
                .deltaT(SparkNets.AVERAGING).seed(8).build());
        long rankSteps = 0;
        int rankUpdates = 0;
        for (int r = 0; r < ROUNDS; r++) {
            RoundResult result = pruning.fitRound(SparkNets.roundRdd(sc, 8, r));
            checkRound(pruning, result);
            rankSteps += result.rankSteps();
            rankUpdates += result.update().filter(u -> u.activeRankLayers() > 0).isPresent() ? 1 : 0;
        }
        assertTrue(rankSteps > 0, "the executors added the rank-loss gradient " + rankSteps + " times");
        assertTrue(rankUpdates > 0, "topology updates with an active rank loss: " + rankUpdates);
        assertTrue(pruning.reachedTarget());
        assertEquals(TARGET, pruning.sparsity(), SPARSITY_TOLERANCE);
    }

    @Test
    void attachingTwiceIsRefused() {
        SparkDl4jMultiLayer net = newCnn(7);
        SparkPruning.attach(net, config(7));
        assertThrows(IllegalStateException.class, () -> SparkPruning.attach(net, config(7)));
    }

    private static SparkDl4jMultiLayer newCnn(long seed) {
        return new SparkDl4jMultiLayer(sc, SparkNets.cnn(seed), SparkNets.masterBuilder(seed).build());
    }

    private static Map<String, INDArray> masksAfter(SparkPruning pruning, long seed, int from, int to) {
        for (int r = from; r < to; r++) {
            checkRound(pruning, pruning.fitRound(SparkNets.roundRdd(sc, seed, r)));
        }
        return masks(pruning);
    }

    /**
     * After a round: both workers trained 2 iterations, no masked weight moved on an executor, the
     * averaged weights are exactly 0.0 where the driver's mask prunes, and the plan shipped with the
     * next round carries exactly the driver's masks.
     */
    private static void checkRound(SparkPruning pruning, RoundResult result) {
        assertEquals(SparkNets.WORKERS, result.tasks());
        assertEquals(SparkNets.AVERAGING, result.iterations());
        assertEquals(0, result.maskViolations(), "masked weights moved on an executor in round " + result.round());
        Model model = pruning.network();
        RoundPlan plan = pruning.nextRoundPlan();
        assertEquals(result.round() + 1, plan.round());
        for (PrunableTensor t : pruning.tensors()) {
            INDArray mask = pruning.mask(t.name());
            INDArray weights = model.getParam(t.name());
            INDArray pruned = weights.mul(mask.rsub(1.0).castTo(weights.dataType()));
            assertEquals(0.0, pruned.amaxNumber().doubleValue(), "round " + result.round() + " " + t.name());
            assertArrayEquals(Nd4j.toFlattened('c', mask).toFloatVector(), plan.mask(t.name()),
                    "shipped mask of " + t.name());
        }
    }

    private static Map<String, INDArray> masks(SparkPruning pruning) {
        Map<String, INDArray> masks = new LinkedHashMap<>();
        pruning.tensors().forEach(t -> masks.put(t.name(), pruning.mask(t.name()).dup()));
        return masks;
    }

    private static void assertMasksEqual(Map<String, INDArray> expected, Map<String, INDArray> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, mask) -> assertArrayEquals(Nd4j.toFlattened('c', mask).toFloatVector(),
                Nd4j.toFlattened('c', actual.get(name)).toFloatVector(), name));
    }
}
