package org.rpg4j.dl4j.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.dataset.DataSet;
import org.rpg4j.dl4j.DetachedRun;
import org.rpg4j.dl4j.parallel.TestNets.Kind;
import org.rpg4j.prune.PrunableTensor;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankLoss;

/**
 * RPG under ParallelWrapper (averaging mode, 2 workers) on a small CNN and a small residual graph:
 * target sparsity, masked weights exactly 0.0 on every replica after every iteration, the same
 * masks from a second run with the same seed, and an exact resume from a saved model.
 */
class ParallelPruningTest {
    private static final int ROUNDS = 16;
    private static final int WORKERS = 2;
    private static final double TARGET = 0.6;

    @TempDir
    Path dir;

    static PruningConfig config() {
        return PruningConfig.builder(TARGET, ROUNDS).deltaT(2).rankLoss(RankLoss.lambda(1.0).partialK(0.2)).seed(7)
                .build();
    }

    static ParallelWrapper wrapper(Model net) {
        return new ParallelWrapper.Builder<>(net).workers(WORKERS).averagingFrequency(1).prefetchBuffer(2)
                .trainingMode(ParallelWrapper.TrainingMode.AVERAGING).build();
    }

    static List<DataSet> data(int rounds, long seed) {
        return TestNets.data(rounds * WORKERS, 4, seed);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void reachesTargetWithPrunedWeightsZeroOnEveryReplica(Kind kind) throws Exception {
        Model net = TestNets.build(kind);
        ParallelWrapper wrapper = wrapper(net);
        ParallelRun run = ParallelPruning.attach(wrapper, config());
        ReplicaZeroCheck check = new ReplicaZeroCheck(run);
        RoundStartCheck starts = new RoundStartCheck(wrapper);
        wrapper.setListeners(check, starts);
        // two fits: ParallelWrapper builds new copies of the root at the start of each
        run.fit(TestNets.iterator(data(ROUNDS / 2, 3)));
        run.fit(TestNets.iterator(data(ROUNDS / 2, 4)));
        wrapper.shutdown();

        assertEquals(List.of(), starts.problems(WORKERS), "every replica starts every round from the same state");
        assertEquals(ROUNDS, starts.iterations());
        assertEquals(0, check.violations(), "non-zero pruned weights seen on a replica: " + check.firstViolation());
        assertEquals(WORKERS + 1, check.replicasSeen(), "the root and a new copy in each of the two fits checked");
        assertEquals((long) WORKERS * ROUNDS, check.checks(), "every replica checked after every iteration");
        assertTrue(check.sawPruning(), "some weights were pruned while training");
        assertEquals(TARGET, run.sparsity(), 0.01, "target sparsity reached");
        assertEquals(ROUNDS, run.iteration());
        long expectedUpdates = java.util.stream.LongStream.range(0, ROUNDS)
                .filter(run.detachedRun().pruner()::isUpdateIteration).count();
        assertEquals(expectedUpdates, run.costs().updates(), "one topology update per update iteration");
        run.rootTensors().prunedNonZero().forEach((name, n) -> assertEquals(0L, n, name));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void secondRunWithSameSeedGivesSameMasksAndWeights(Kind kind) throws Exception {
        Model firstNet = TestNets.build(kind);
        Map<String, double[]> first = masksAfterRun(firstNet);
        Model secondNet = TestNets.build(kind);
        Map<String, double[]> second = masksAfterRun(secondNet);
        assertEquals(first.keySet(), second.keySet());
        first.forEach((name, mask) -> assertArrayEquals(mask, second.get(name), 0.0, name));
        // bit-identical: each fit starts with every replica an exact copy of the root (see RoundBoundary)
        assertArrayEquals(firstNet.params().dup().reshape(-1).toFloatVector(),
                secondNet.params().dup().reshape(-1).toFloatVector(), 0f);
    }

    private Map<String, double[]> masksAfterRun(Model net) throws Exception {
        ParallelWrapper wrapper = wrapper(net);
        ParallelRun run = ParallelPruning.attach(wrapper, config());
        // two fits: the second starts with freshly built replicas
        run.fit(TestNets.iterator(data(ROUNDS / 2, 3)));
        run.fit(TestNets.iterator(data(ROUNDS / 2, 4)));
        wrapper.shutdown();
        return masks(run);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void resumeFromSavedModelContinuesExactly(Kind kind) throws Exception {
        // fresh batches for every fit: ParallelWrapper's prefetcher may move or modify the DataSets it hands out
        java.util.function.Supplier<List<DataSet>> first = () -> data(ROUNDS / 2, 3);
        java.util.function.Supplier<List<DataSet>> second = () -> data(ROUNDS / 2, 4);

        Model straightNet = TestNets.build(kind);
        ParallelWrapper straightWrapper = wrapper(straightNet);
        ParallelRun straight = ParallelPruning.attach(straightWrapper, config());
        straight.fit(TestNets.iterator(first.get()));
        straight.fit(TestNets.iterator(second.get()));
        straightWrapper.shutdown();

        Model net = TestNets.build(kind);
        ParallelWrapper w1 = wrapper(net);
        ParallelRun before = ParallelPruning.attach(w1, config());
        before.fit(TestNets.iterator(first.get()));
        w1.shutdown();
        File saved = dir.resolve("half.zip").toFile();
        before.save(saved);

        DetachedRun restored = ParallelPruning.restore(saved);
        ParallelWrapper w2 = wrapper(restored.network());
        ParallelRun resumed = ParallelPruning.resume(w2, restored);
        assertEquals(ROUNDS / 2, resumed.iteration(), "resumed at the saved round");
        resumed.fit(TestNets.iterator(second.get()));
        w2.shutdown();

        Map<String, double[]> expected = masks(straight);
        Map<String, double[]> actual = masks(resumed);
        expected.forEach((name, mask) -> assertArrayEquals(mask, actual.get(name), 0.0, name));
        assertArrayEquals(straightNet.params().dup().reshape(-1).toFloatVector(), restored.network().params().dup()
                .reshape(-1).toFloatVector(), 0f,
                "resumed parameters equal the uninterrupted run's");
        assertEquals(TARGET, resumed.sparsity(), 0.01);
    }

    static Map<String, double[]> masks(ParallelRun run) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (PrunableTensor t : run.tensors()) {
            out.put(t.name(), run.mask(t.name()).dup('c').reshape(-1).toDoubleVector());
        }
        return out;
    }
}
