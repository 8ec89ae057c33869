package org.rpg4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.rpg4j.examples.cli.Options;
import org.rpg4j.examples.results.RunRecord;
import picocli.CommandLine;

/** Two iterations of each method on generated data, through the same path as the command line. */
class EndToEndTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"dense"})
    void twoIterationsWriteEveryOutput(String method) throws IOException {
        Path output = dir.resolve(method);
        String[] args = {"--dataset", "synthetic", "--model", "small-cnn", "--method", method, "--subset", "64",
            "--test-subset", "32", "--batch-size", "16", "--max-iterations", "2", "--delta-t", "1",
            "--progress-every", "1", "--output", output.toString()};
        Options options = new Options();
        new CommandLine(options).parseArgs(args);
        List<String> lines = new ArrayList<>();
        RunRecord record = new ExampleRun(options, List.of(args), lines::add).run();
        assertEquals(2, record.history().iterations());
        assertEquals("synthetic-28x28x1", record.data().name());
        assertTrue(record.title().contains("synthetic-28x28x1"), record.title());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("[epoch 1/1] iter 2/2")), String.join("\n", lines));
        assertTrue(record.finalLayers().stream().allMatch(l -> l.deltaRank() >= 0), "delta-ranks measured");
        assertEquals(4, record.spectra().size());
        for (String file : List.of("results.json", "metrics.csv", "layers.csv", "model.zip", "accuracy_sparsity.png",
                "layer_rank.png", "spectra.png")) {
            assertTrue(Files.size(output.resolve(file)) > 0, file);
        }
        assertTrue(Files.readString(output.resolve("results.json")).contains("\"synthetic\" : true"));
    }

    @org.junit.jupiter.api.Test
    void invalidOptionsAreNamed() {
        assertEquals(2, TrainAndPrune.execute("--model", "resnet18"));
        assertEquals(2, TrainAndPrune.execute("--dataset", "synthetic", "--sparsity", "1.5", "--subset", "64",
                "--batch-size", "16", "--max-iterations", "1", "--output", dir.resolve("x").toString()));
        assertEquals(0, TrainAndPrune.execute("--help"));
    }
}
