package org.rpg4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.rpg4j.prune.PrunableTensor;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankLoss;

/**
 * Masks and pruner state travel inside the model zip: a run saved at any iteration and restored
 * continues bit-identically to the uninterrupted run (same seed, same data order).
 */
class SaveRestoreTest {
    static final int ITERATIONS = 14;

    @TempDir
    Path dir;

    static PruningConfig config() {
        return PruningConfig.builder(0.8, ITERATIONS).deltaT(2)
                .rankLoss(RankLoss.lambda(1.0).partialK(0.2)).build();
    }

    static Stream<Arguments> interruptions() {
        return Stream.of(Nets.Kind.values()).flatMap(k -> Stream.of(3, 6).map(m -> Arguments.of(k, m)));
    }

    @ParameterizedTest(name = "{0} saved after {1} iterations")
    @MethodSource("interruptions")
    void resumedRunIsBitIdenticalToUninterruptedRun(Nets.Kind kind, int savedAfter) throws IOException {
        List<DataSet> data = Nets.data(ITERATIONS, 4, 21);
        Model straight = Nets.small(kind, new Adam(0.01), Nets.Decay.L2, true);
        Pruning uninterrupted = Dl4jPruning.attach(straight, config());
        data.forEach(d -> Nets.fit(straight, d));

        Model first = Nets.small(kind, new Adam(0.01), Nets.Decay.L2, true);
        Pruning before = Dl4jPruning.attach(first, config());
        data.subList(0, savedAfter).forEach(d -> Nets.fit(first, d));
        File file = dir.resolve("run.zip").toFile();
        before.save(file);
        Pruning resumed = Dl4jPruning.restore(file);
        Model second = resumed.network();
        assertEquals(kind == Nets.Kind.MLN ? MultiLayerNetwork.class : ComputationGraph.class, second.getClass());
        assertEquals(savedAfter, resumed.iteration());
        data.subList(savedAfter, ITERATIONS).forEach(d -> Nets.fit(second, d));

        assertTrue(uninterrupted.sparsity() > 0.75);
        assertArrayEquals(straight.params().dup().data().asFloat(), second.params().dup().data().asFloat(),
                "parameters");
        assertArrayEquals(Inspect.updater(straight).getStateViewArray().dup().data().asFloat(),
                Inspect.updater(second).getStateViewArray().dup().data().asFloat(), "updater state");
        for (PrunableTensor t : uninterrupted.tensors()) {
            assertArrayEquals(uninterrupted.mask(t.name()).data().asFloat(), resumed.mask(t.name()).data().asFloat(),
                    t.name() + " mask");
        }
        assertEquals(uninterrupted.report().toJson(), resumed.report().toJson());
    }

    @Test
    void restoredTrainingKeepsPrunedWeightsAtZero() throws IOException {
        Model net = Nets.small(Nets.Kind.MLN, new Adam(0.01), Nets.Decay.NONE, false);
        Pruning pruning = Dl4jPruning.attach(net, config());
        List<DataSet> data = Nets.data(ITERATIONS, 4, 2);
        data.subList(0, 7).forEach(d -> Nets.fit(net, d));
        File file = dir.resolve("mid.zip").toFile();
        pruning.save(file);
        Pruning resumed = Dl4jPruning.restore(file);
        for (DataSet d : data.subList(7, ITERATIONS)) {
            Nets.fit(resumed.network(), d);
            Inspect.assertPrunedAreZero(resumed, "after restore");
        }
    }
}
