package org.rpg4j.examples.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rpg4j.examples.cli.PruningOptions;
import org.rpg4j.examples.data.DatasetKind;
import org.rpg4j.examples.models.ModelKind;
import org.rpg4j.examples.train.Method;

/** A tiny study on synthetic data: every method runs, the report is written, a second pass resumes. */
class StudyEndToEndTest {
    @Test
    void runsReportsAndResumes(@TempDir Path dir) throws Exception {
        StudyRecipe tiny = new StudyRecipe(ModelKind.SMALL_CNN, 256, 128, 1, 64, 0.05, 0.0, 1);
        List<StudyRun> runs = new StudyPlan(List.of(tiny), List.of(0.9), 1, DatasetKind.SYNTHETIC, null).runs();
        List<String> lines = new ArrayList<>();
        StudyRunner runner = new StudyRunner(dir, lines::add);

        assertEquals(List.of(), runner.run(runs, 0, 1));
        assertEquals(5, runs.size());
        for (StudyRun run : runs) {
            assertTrue(runner.finished(run), run.id());
            assertTrue(Files.exists(runner.directory(run).resolve("log.txt")), run.id());
            assertTrue(Files.notExists(runner.directory(run).resolve("model.zip")), "results only: " + run.id());
        }
        StudyReport report = StudyReport.load(runner, runs);
        report.write(dir, "study test");
        assertEquals(1 + 5, Files.readAllLines(dir.resolve("runs.csv")).size());
        assertEquals(1 + 5, Files.readAllLines(dir.resolve("summary.csv")).size());
        // 4 prunable layers per run
        assertEquals(1 + 5 * 4, Files.readAllLines(dir.resolve("layers.csv")).size());
        for (String png : List.of("accuracy", "rank", "layer-rank", "zero-rows-columns")) {
            assertTrue(Files.size(dir.resolve("small-cnn-" + png + ".png")) > 1000, png);
        }
        String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.contains("synthetic data"), md);
        assertTrue(md.contains("| rpg-reg |"), md);
        for (RunResult r : report.results()) {
            double expected = r.method().equals("dense") ? 0.0 : 0.9;
            assertEquals(expected, r.sparsity(), 0.002, r.id());
        }

        Path marker = runner.directory(runs.get(2)).resolve("results.json");
        FileTime before = Files.getLastModifiedTime(marker);
        Files.delete(runner.directory(runs.get(4)).resolve("results.json"));
        lines.clear();
        assertEquals(List.of(), runner.run(runs, 0, 1));
        assertEquals(before, Files.getLastModifiedTime(marker), "finished runs are not run again");
        assertTrue(lines.get(0).contains("5 runs, 4 finished before, 1 to run"), lines.get(0));
        assertTrue(runner.finished(runs.get(4)));
    }

    @Test
    void fromDenseRunsStartFromTheDenseModelAndFailClearlyWithoutIt(@TempDir Path dir) throws Exception {
        StudyRecipe tiny = new StudyRecipe(ModelKind.SMALL_CNN, 256, 128, 1, 64, 0.05, 0.0, 1);
        List<StudyRun> runs = new StudyPlan(List.of(tiny), List.of(0.9), 1, DatasetKind.SYNTHETIC, null,
                List.of(Method.DENSE, Method.GMP), new PruningOptions(), true).runs();
        StudyRunner runner = new StudyRunner(dir, line -> {});

        assertEquals(List.of("small-cnn-gmp-90-seed1"), runner.run(runs.subList(1, 2), 0, 1));
        assertTrue(Files.readString(runner.directory(runs.get(1)).resolve("error.txt"))
                .contains("small-cnn-dense-seed1"));

        assertEquals(List.of(), runner.run(runs, 0, 1));
        assertTrue(Files.exists(runner.directory(runs.get(0)).resolve("model.zip")));
        assertTrue(Files.notExists(runner.directory(runs.get(1)).resolve("error.txt")));
        String json = Files.readString(runner.directory(runs.get(1)).resolve("results.json"));
        assertTrue(json.contains("small-cnn-dense-seed1/model.zip"), "results.json records --init-from");
    }
}
