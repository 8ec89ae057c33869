package org.rpg4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.listeners.CheckpointListener;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.rpg4j.prune.PrunableTensor;
import org.rpg4j.prune.PruningStateException;

/**
 * Saving from inside training: {@link Pruning#save} called from a listener's {@code iterationDone}
 * (after DL4J's step, before DL4J counts the iteration) or {@code onEpochEnd} resumes
 * bit-identically; DL4J's own {@code ModelSerializer} and {@code CheckpointListener} saves keep no
 * pruning state, and every way of continuing from them fails with a message that names
 * {@code Pruning.save} / {@code Dl4jPruning.restore}.
 */
class ListenerSaveTest {
    private static final int ITERATIONS = SaveRestoreTest.ITERATIONS;

    @TempDir
    Path dir;

    /** Saves the run from inside {@code iterationDone} of one iteration. */
    private static final class SaveAt extends BaseTrainingListener {
        private final Pruning pruning;
        private final int iteration;
        private final File file;

        SaveAt(Pruning pruning, int iteration, File file) {
            this.pruning = pruning;
            this.iteration = iteration;
            this.file = file;
        }

        @Override
        public void iterationDone(Model model, int it, int epoch) {
            if (it == iteration) {
                try {
                    pruning.save(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    static Stream<Arguments> savePoints() {
        // deltaT 2: iterations 1, 3, 5, ... are update iterations (their step is skipped), 2 and 4 are not
        return Stream.of(Nets.Kind.values()).flatMap(k -> Stream.of(2, 5).map(i -> Arguments.of(k, i)));
    }

    @ParameterizedTest(name = "{0} saved in iterationDone of iteration {1}")
    @MethodSource("savePoints")
    void saveFromIterationDoneResumesBitIdentically(Nets.Kind kind, int savedAt) throws IOException {
        List<DataSet> data = Nets.data(ITERATIONS, 4, 21);
        Model straight = Nets.small(kind, new Adam(0.01), Nets.Decay.L2, true);
        Pruning uninterrupted = Dl4jPruning.attach(straight, SaveRestoreTest.config());
        data.forEach(d -> Nets.fit(straight, d));

        Model first = Nets.small(kind, new Adam(0.01), Nets.Decay.L2, true);
        Pruning before = Dl4jPruning.attach(first, SaveRestoreTest.config());
        File file = dir.resolve("in-listener.zip").toFile();
        first.addListeners(new SaveAt(before, savedAt, file));
        data.subList(0, savedAt + 1).forEach(d -> Nets.fit(first, d));

        Pruning resumed = Dl4jPruning.restore(file);
        Model second = resumed.network();
        assertEquals(savedAt + 1, resumed.iteration(), "the saved iteration counts as done");
        data.subList(savedAt + 1, ITERATIONS).forEach(d -> Nets.fit(second, d));

        assertArrayEquals(straight.params().dup().data().asFloat(), second.params().dup().data().asFloat(),
                "parameters");
        assertArrayEquals(Inspect.updater(straight).getStateViewArray().dup().data().asFloat(),
                Inspect.updater(second).getStateViewArray().dup().data().asFloat(), "updater state");
        for (PrunableTensor t : uninterrupted.tensors()) {
            assertArrayEquals(uninterrupted.mask(t.name()).data().asFloat(), resumed.mask(t.name()).data().asFloat(),
                    t.name() + " mask");
        }
    }

    @Test
    void saveFromOnEpochEndRecordsTheFinishedEpoch() throws IOException {
        MultiLayerNetwork net = Nets.smallMln(new Adam(0.01), Nets.Decay.NONE, false);
        Pruning pruning = Dl4jPruning.attach(net, SaveRestoreTest.config());
        File file = dir.resolve("epoch.zip").toFile();
        net.addListeners(new BaseTrainingListener() {
            @Override
            public void onEpochEnd(Model model) {
                try {
                    pruning.save(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        net.fit(new ListDataSetIterator<>(Nets.data(4, 4, 3), 1));
        assertEquals(1, net.getEpochCount());
        MultiLayerNetwork restored = (MultiLayerNetwork) Dl4jPruning.restore(file).network();
        assertEquals(net.getEpochCount(), restored.getEpochCount(), "epoch count");
        assertEquals(net.getIterationCount(), restored.getIterationCount(), "iteration count");
    }

    @Test
    void modelSerializerSaveCannotBeContinuedAndSaysHow() throws IOException {
        for (Nets.Kind kind : Nets.Kind.values()) {
            Model net = Nets.small(kind, new Adam(0.01), Nets.Decay.NONE, false);
            Dl4jPruning.attach(net, SaveRestoreTest.config());
            List<DataSet> data = Nets.data(3, 4, 3);
            data.forEach(d -> Nets.fit(net, d));
            File file = dir.resolve(kind + "-plain.zip").toFile();
            ModelSerializer.writeModel(net, file, true);

            PruningStateException restore = assertThrows(PruningStateException.class, () -> Dl4jPruning.restore(file));
            assertTrue(restore.getMessage().contains("Pruning.save"), restore.getMessage());
            Model loaded = kind == Nets.Kind.MLN ? ModelSerializer.restoreMultiLayerNetwork(file, true)
                    : ModelSerializer.restoreComputationGraph(file, true);
            IllegalStateException train = assertThrows(IllegalStateException.class, () -> Nets.fit(loaded,
                    data.get(0)));
            assertTrue(train.getMessage().contains("Dl4jPruning.restore"), train.getMessage());
        }
    }

    @Test
    void checkpointListenerCheckpointCannotBeContinuedAndSaysHow() throws IOException {
        ComputationGraph net = Nets.smallGraph(new Adam(0.01), Nets.Decay.NONE, false);
        Dl4jPruning.attach(net, SaveRestoreTest.config());
        File checkpoints = Files.createDirectory(dir.resolve("checkpoints")).toFile();
        net.addListeners(new CheckpointListener.Builder(checkpoints).saveEveryNIterations(2).keepLast(1).build());
        Nets.data(5, 4, 3).forEach(net::fit);
        File last;
        try (Stream<Path> files = Files.list(checkpoints.toPath())) {
            last = files.filter(p -> p.toString().endsWith(".zip")).max(Comparator.naturalOrder()).orElseThrow()
                    .toFile();
        }
        PruningStateException e = assertThrows(PruningStateException.class, () -> Dl4jPruning.restore(last));
        assertTrue(e.getMessage().contains("CheckpointListener") && e.getMessage().contains("Pruning.save"),
                e.getMessage());
    }
}
