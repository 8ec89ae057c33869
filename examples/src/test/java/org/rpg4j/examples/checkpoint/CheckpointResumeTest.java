package org.rpg4j.examples.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rpg4j.examples.ExampleRun;
import org.rpg4j.examples.cli.Options;
import org.rpg4j.examples.results.RunRecord;
import picocli.CommandLine;

/**
 * In-process checks of checkpoints and {@code --resume} on a 12-iteration RPG run (small CNN,
 * synthetic 28x28 images, crop-and-flip augmentation, 4 iterations per epoch, a topology update every
 * 2 iterations): writing checkpoints does not change the run; resuming from a mid-epoch or an
 * epoch-boundary checkpoint ends bit-identical to the uninterrupted run; a truncated, bit-flipped or
 * missing file in the newest checkpoint makes the resume fall back to the previous one with a warning
 * naming the file; no valid checkpoint, or different options, is a clear error.
 */
class CheckpointResumeTest {
    static final List<String> RUN = List.of("--dataset", "synthetic", "--model", "small-cnn", "--method", "rpg",
            "--subset", "64", "--test-subset", "32", "--batch-size", "16", "--epochs", "3", "--max-iterations", "12",
            "--delta-t", "2", "--lr", "0.05", "--warmup-epochs", "0.2", "--augment", "crop-flip", "--progress-every",
            "1");

    @TempDir
    static Path shared;
    static Path reference;
    static Path checkpointed;

    @TempDir
    Path dir;

    @BeforeAll
    static void runOnceWithAndWithoutCheckpoints() throws IOException {
        reference = shared.resolve("reference");
        run(RUN, "--output", reference.toString(), "--checkpoint-minutes", "0");
        checkpointed = shared.resolve("checkpointed");
        run(RUN, "--output", checkpointed.toString(), "--checkpoint-every", "2", "--keep-checkpoints", "10");
    }

    @Test
    void checkpointingDoesNotChangeTheRun() throws IOException {
        assertEquals(List.of(2L, 4L, 6L, 8L, 10L), iterations(checkpointed.resolve(CheckpointSession.DIRECTORY)));
        RunComparison.assertSameModel(reference.resolve("model.zip"), checkpointed.resolve("model.zip"));
        RunComparison.assertSameMetrics(reference.resolve("results.json"), checkpointed.resolve("results.json"));
        assertTrue(Files.notExists(reference.resolve(CheckpointSession.DIRECTORY)), "--checkpoint-minutes 0: none");
    }

    /** Iteration 6 is mid-epoch (batch 2 of 4), iteration 8 the boundary after epoch 2's evaluation. */
    @ParameterizedTest
    @ValueSource(longs = {6, 8})
    void resumeFromOneCheckpointIsBitIdentical(long iteration) throws IOException {
        Path run = copyCheckpoints(iteration);
        List<String> lines = run(RUN, "--resume", run.toString(), "--checkpoint-minutes", "0");
        assertTrue(lines.contains("resuming from " + run.resolve(CheckpointSession.DIRECTORY)
                .resolve(CheckpointStore.name(iteration)) + " (iteration " + iteration + ")"), String.join("\n",
                        lines));
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("[epoch") && l.contains(" iter " + iteration + "/")),
                "iterations up to the checkpoint are not trained again");
        RunComparison.assertSameModel(reference.resolve("model.zip"), run.resolve("model.zip"));
        RunComparison.assertSameMetrics(reference.resolve("results.json"), run.resolve("results.json"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"truncated model.zip", "bit-flipped trainer.bin", "missing options.json",
            "missing manifest.txt"})
    void damagedNewestCheckpointFallsBackToThePreviousOne(String damage) throws IOException {
        Path run = copyCheckpoints(8, 10);
        String file = damage.substring(damage.indexOf(' ') + 1);
        Path victim = run.resolve(CheckpointSession.DIRECTORY).resolve(CheckpointStore.name(10)).resolve(file);
        damage(victim, damage.substring(0, damage.indexOf(' ')));
        // --resume also accepts the checkpoints directory itself
        List<String> lines = run(RUN, "--resume", run.resolve(CheckpointSession.DIRECTORY).toString(),
                "--checkpoint-minutes", "0");
        String warning = lines.stream().filter(l -> l.startsWith("WARNING")).findFirst().orElseThrow();
        assertTrue(warning.contains(victim.toString()), warning);
        assertTrue(lines.contains("resuming from " + run.resolve(CheckpointSession.DIRECTORY)
                .resolve(CheckpointStore.name(8)) + " (iteration 8)"), String.join("\n", lines));
        RunComparison.assertSameModel(reference.resolve("model.zip"), run.resolve("model.zip"));
    }

    @Test
    void noValidCheckpointIsAClearError() throws IOException {
        Path run = copyCheckpoints(10);
        Path victim = run.resolve(CheckpointSession.DIRECTORY).resolve(CheckpointStore.name(10)).resolve("model.zip");
        damage(victim, "bit-flipped");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> run(RUN, "--resume", run.toString()));
        assertEquals("no valid checkpoint in " + run.resolve(CheckpointSession.DIRECTORY) + " (1 found, every one "
                + "damaged):\n  " + victim + " does not match its SHA-256 in the manifest (the file is corrupt)",
                e.getMessage());
    }

    @Test
    void differentOptionsOrNoCheckpointAreRefusedNamingWhatToFix() throws IOException {
        Path run = copyCheckpoints(10);
        List<String> changed = new ArrayList<>(RUN);
        changed.set(changed.indexOf("0.05"), "0.1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(changed, "--resume", run.toString()));
        assertEquals("--resume " + run + ": give the options of the checkpointed run unchanged; this command "
                + "differs in --lr 0.1 (the checkpointed run had 0.05)", e.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> run(RUN, "--resume", dir.resolve("empty").toString()));
        assertTrue(none.getMessage().startsWith("--resume " + dir.resolve("empty") + ": no checkpoint there"),
                none.getMessage());
    }

    static List<String> run(List<String> base, String... extra) throws IOException {
        List<String> args = new ArrayList<>(base);
        args.addAll(List.of(extra));
        Options options = new Options();
        new CommandLine(options).parseArgs(args.toArray(new String[0]));
        List<String> lines = new ArrayList<>();
        RunRecord record = new ExampleRun(options, args, lines::add).run();
        assertEquals(12, record.history().iterations());
        return lines;
    }

    /** A new run directory holding copies of the reference run's checkpoints of these iterations. */
    private Path copyCheckpoints(long... iterations) throws IOException {
        Path run = dir.resolve("run");
        for (long it : iterations) {
            Path from = checkpointed.resolve(CheckpointSession.DIRECTORY).resolve(CheckpointStore.name(it));
            Path to = Files.createDirectories(run.resolve(CheckpointSession.DIRECTORY).resolve(from.getFileName()));
            try (Stream<Path> files = Files.list(from)) {
                for (Path f : files.toList()) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        return run;
    }

    static void damage(Path file, String how) throws IOException {
        switch (how) {
            case "truncated" -> {
                try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                    f.setLength(f.length() - 100);
                }
            }
            case "bit-flipped" -> CheckpointStoreTest.flipBit(file, Files.size(file) / 2, 4);
            case "missing" -> Files.delete(file);
            default -> throw new IllegalArgumentException("how must be truncated, bit-flipped or missing, got " + how);
        }
    }

    static List<Long> iterations(Path checkpoints) throws IOException {
        List<Long> found = new ArrayList<>();
        for (Path p : CheckpointStore.checkpointDirectories(checkpoints)) {
            found.add(CheckpointStore.validate(p).manifest().iteration());
        }
        return found;
    }
}
