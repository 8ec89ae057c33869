package org.rpg4j.dl4j.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.dataset.DataSet;
import org.rpg4j.dl4j.DetachedRun;
import org.rpg4j.dl4j.parallel.RoundStartCheck.Compared;
import org.rpg4j.dl4j.parallel.TestNets.Kind;

/**
 * RPG under ParallelWrapper in SHARED_GRADIENTS mode (2 workers, DL4J's default threshold encoder)
 * on the small CNN and the small residual graph of {@link ParallelPruningTest}, same schedule and
 * data: target sparsity; pruned weights, updater state and encoder residuals exactly 0.0 on every
 * replica after every iteration, already before rpg4j's after-step masking (the shared update
 * never carries a pruned position); every replica starts every round at the same parameters; a
 * second run with the same seed ends with the same masks and weights; a run resumed from a saved
 * model ends where the uninterrupted run does.
 */
// a barrier that never opens (DL4J's accumulator waits for every worker) fails the test instead of hanging the build
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SharedGradientsTest {
    private static final int ROUNDS = 16;
    private static final int WORKERS = 2;
    private static final double TARGET = 0.6;

    @TempDir
    Path dir;

    static ParallelWrapper wrapper(Model net) {
        return new ParallelWrapper.Builder<>(net).workers(WORKERS).prefetchBuffer(2)
                .trainingMode(ParallelWrapper.TrainingMode.SHARED_GRADIENTS).build();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void reachesTargetWithPrunedPositionsZeroOnEveryReplica(Kind kind) throws Exception {
        Model net = TestNets.build(kind);
        ParallelWrapper wrapper = wrapper(net);
        ParallelRun run = ParallelPruning.attach(wrapper, ParallelPruningTest.config());
        SharedStepProbe beforeMasking = new SharedStepProbe(run, wrapper);
        SharedStepProbe afterMasking = new SharedStepProbe(run, wrapper);
        ReplicaZeroCheck check = new ReplicaZeroCheck(run);
        RoundStartCheck starts = new RoundStartCheck(wrapper, Compared.PARAMETERS);
        wrapper.setListeners(check, starts, afterMasking);
        wrapper.getListeners().add(0, beforeMasking);
        // two fits: ParallelWrapper builds new copies, new worker threads and new residuals in each
        run.fit(TestNets.iterator(ParallelPruningTest.data(ROUNDS / 2, 3)));
        run.fit(TestNets.iterator(ParallelPruningTest.data(ROUNDS / 2, 4)));
        wrapper.shutdown();

        assertEquals(List.of(), starts.problems(WORKERS), "every replica starts every round at the same parameters");
        assertEquals(ROUNDS, starts.iterations());
        assertEquals(0, check.violations(), "non-zero pruned weights seen on a replica: " + check.firstViolation());
        assertEquals(WORKERS + 1, check.replicasSeen(), "the root and a new copy in each of the two fits checked");
        assertEquals((long) WORKERS * ROUNDS, check.checks(), "every replica checked after every iteration");
        assertTrue(check.sawPruning(), "some weights were pruned while training");
        for (SharedStepProbe probe : List.of(beforeMasking, afterMasking)) {
            assertEquals((long) WORKERS * ROUNDS, probe.checks());
            assertEquals((long) WORKERS * ROUNDS, probe.residualChecks(), "every worker has a residual after its step");
            assertEquals(0, probe.weightLeaks(), "pruned weights moved by the shared update");
            assertEquals(0, probe.stateLeaks(), "updater state non-zero at pruned positions");
            assertEquals(0, probe.residualLeaks(), "encoder residual non-zero at pruned positions");
        }
        assertEquals(TARGET, run.sparsity(), 0.01, "target sparsity reached");
        assertEquals(ROUNDS, run.iteration());
        long expectedUpdates = LongStream.range(0, ROUNDS).filter(run.detachedRun().pruner()::isUpdateIteration)
                .count();
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
        // bit-identical: with 2 workers each entry of the decoded shared update is a sum of at most
        // two encoded values, and float addition is commutative, so the arrival order does not matter
        assertArrayEquals(firstNet.params().dup().reshape(-1).toFloatVector(),
                secondNet.params().dup().reshape(-1).toFloatVector(), 0f);
    }

    private Map<String, double[]> masksAfterRun(Model net) throws Exception {
        ParallelWrapper wrapper = wrapper(net);
        ParallelRun run = ParallelPruning.attach(wrapper, ParallelPruningTest.config());
        run.fit(TestNets.iterator(ParallelPruningTest.data(ROUNDS / 2, 3)));
        run.fit(TestNets.iterator(ParallelPruningTest.data(ROUNDS / 2, 4)));
        wrapper.shutdown();
        return ParallelPruningTest.masks(run);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void resumeFromSavedModelContinuesExactly(Kind kind) throws Exception {
        // fresh batches for every fit: ParallelWrapper's prefetcher may move or modify the DataSets it hands out
        Supplier<List<DataSet>> first = () -> ParallelPruningTest.data(ROUNDS / 2, 3);
        Supplier<List<DataSet>> second = () -> ParallelPruningTest.data(ROUNDS / 2, 4);

        Model straightNet = TestNets.build(kind);
        ParallelWrapper straightWrapper = wrapper(straightNet);
        ParallelRun straight = ParallelPruning.attach(straightWrapper, ParallelPruningTest.config());
        straight.fit(TestNets.iterator(first.get()));
        straight.fit(TestNets.iterator(second.get()));
        straightWrapper.shutdown();

        Model net = TestNets.build(kind);
        ParallelWrapper w1 = wrapper(net);
        ParallelRun before = ParallelPruning.attach(w1, ParallelPruningTest.config());
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

        Map<String, double[]> expected = ParallelPruningTest.masks(straight);
        Map<String, double[]> actual = ParallelPruningTest.masks(resumed);
        expected.forEach((name, mask) -> assertArrayEquals(mask, actual.get(name), 0.0, name));
        // exact: DL4J discards every residual and every copy's updater state at the end of each fit,
        // so the saved root (parameters, updater state, pruner) is the whole state between fits
        assertArrayEquals(straightNet.params().dup().reshape(-1).toFloatVector(), restored.network().params().dup()
                .reshape(-1).toFloatVector(), 0f, "resumed parameters equal the uninterrupted run's");
        assertEquals(TARGET, resumed.sparsity(), 0.01);
    }
}
