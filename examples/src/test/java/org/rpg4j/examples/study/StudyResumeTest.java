package org.rpg4j.examples.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.rpg4j.examples.checkpoint.CheckpointSession;
import org.rpg4j.examples.cli.PruningOptions;
import org.rpg4j.examples.data.DatasetKind;
import org.rpg4j.examples.models.ModelKind;
import org.rpg4j.examples.train.Method;

/**
 * A study run interrupted mid-way (only an early checkpoint left, no results.json) continues from that
 * checkpoint when the study is started again, and ends with the metrics of an uninterrupted run.
 */
class StudyResumeTest {
    @Test
    void anInterruptedRunContinuesFromItsCheckpoint(@TempDir Path dir) throws Exception {
        // 256 images in batches of 64: 4 iterations, a topology update every iteration
        StudyRecipe tiny = new StudyRecipe(ModelKind.SMALL_CNN, 256, 128, 1, 64, 0.05, 0.0, 1);
        List<StudyRun> runs = new StudyPlan(List.of(tiny), List.of(0.9), 1, DatasetKind.SYNTHETIC, null,
                List.of(Method.RPG), new PruningOptions(), false).runs();
        List<String> everyIteration = List.of("--checkpoint-every", "1", "--keep-checkpoints", "10");
        StudyRunner whole = new StudyRunner(dir.resolve("whole"), everyIteration, line -> {});
        assertEquals(List.of(), whole.run(runs, 0, 1));

        StudyRunner interrupted = new StudyRunner(dir.resolve("interrupted"), everyIteration, line -> {});
        Path from = whole.directory(runs.get(0)).resolve(CheckpointSession.DIRECTORY).resolve("ckpt-000000000002");
        Path to = Files.createDirectories(interrupted.directory(runs.get(0)).resolve(CheckpointSession.DIRECTORY)
                .resolve(from.getFileName()));
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        Files.writeString(interrupted.directory(runs.get(0)).resolve("log.txt"), "the interrupted part\n");
        assertEquals(List.of(), interrupted.run(runs, 0, 1));

        String log = Files.readString(interrupted.directory(runs.get(0)).resolve("log.txt"));
        assertTrue(log.startsWith("the interrupted part\n"), "the log is appended to");
        assertTrue(log.contains("resuming from " + to + " (iteration 2)"), log);
        // iterations 3 and 4 are trained again, 1 and 2 are not: a checkpoint is written after iteration 3 only
        assertTrue(log.contains("ckpt-000000000003 (") && !log.contains("ckpt-000000000001 ("), log);
        ObjectMapper json = new ObjectMapper();
        JsonNode a = json.readTree(whole.directory(runs.get(0)).resolve("results.json").toFile());
        JsonNode b = json.readTree(interrupted.directory(runs.get(0)).resolve("results.json").toFile());
        for (String list : List.of("epochs", "trace")) {
            assertEquals(withoutTimings(a.get(list)), withoutTimings(b.get(list)), list);
        }
        assertEquals(a.get("finalLayers"), b.get("finalLayers"));
    }

    private static JsonNode withoutTimings(JsonNode list) {
        JsonNode copy = list.deepCopy();
        for (JsonNode entry : copy) {
            ((ObjectNode) entry).remove(List.of("imagesPerSecond", "elapsedSeconds"));
        }
        return copy;
    }
}
