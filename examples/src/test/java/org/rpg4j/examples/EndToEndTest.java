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

/**
 * Four iterations of each method on generated data, through the same path as the command line.
 * Four is the shortest regrowing run: update 0 prunes nothing, so reaching the target needs a second
 * update before {@code tEnd}, and the two updates skip their optimizer steps, at most half of the
 * run's (deltaT 1, ramp and update end at 75 % of training: tEnd = 3, updates at iterations 0 and 1).
 */
class EndToEndTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"dense", "gmp", "rigl", "rpg", "rpg-reg"})
    void fourIterationsWriteEveryOutput(String method) throws IOException {
        Path output = dir.resolve(method);
        String[] args = {"--dataset", "synthetic", "--model", "small-cnn", "--method", method, "--subset", "64",
                "--test-subset", "32", "--batch-size", "16", "--max-iterations", "4", "--delta-t", "1",
                "--ramp-end", "0.75", "--update-end", "0.75", "--progress-every", "1", "--output", output.toString()};
        Options options = new Options();
        new CommandLine(options).parseArgs(args);
        List<String> lines = new ArrayList<>();
        RunRecord record = new ExampleRun(options, List.of(args), lines::add).run();
        assertEquals(4, record.history().iterations());
        // The second update masks 90 % of the prunable weights. Regrown weights start at 0.0 and a
        // few keep an exactly zero gradient (dead ReLU inputs), so slightly more than 90 % are zero.
        double sparsity = record.history().last().sparsity();
        if (method.equals("dense")) {
            assertEquals(0.0, sparsity, 1e-3, "sparsity");
        } else {
            assertTrue(sparsity >= 0.899 && sparsity < 0.93, "sparsity " + sparsity);
        }
        assertEquals("synthetic-28x28x1", record.data().name());
        assertTrue(record.title().contains("synthetic-28x28x1"), record.title());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("[epoch 1/1] iter 4/4")), String.join("\n", lines));
        assertTrue(record.finalLayers().stream().allMatch(l -> l.deltaRank() >= 0), "delta-ranks measured");
        assertEquals(4, record.spectra().size());
        for (String file : List.of("results.json", "metrics.csv", "layers.csv", "model.zip", "accuracy_sparsity.png",
                "layer_rank.png", "spectra.png")) {
            assertTrue(Files.size(output.resolve(file)) > 0, file);
        }
        // pruning runs report the channels they emptied: removed with unchanged outputs
        assertEquals(!method.equals("dense"), Files.exists(output.resolve("dead_channels.txt")), "dead_channels.txt");
        assertEquals(!method.equals("dense"), lines.stream().anyMatch(l -> l.startsWith("dead channels removed:")),
                String.join("\n", lines));
        String json = Files.readString(output.resolve("results.json"));
        assertTrue(json.contains("\"synthetic\" : true"));
        assertEquals(!method.equals("dense"), json.contains("\"regrowth\""), "pruning config in results.json");
    }

    @org.junit.jupiter.api.Test
    void invalidOptionsAreNamed() {
        assertEquals(2, TrainAndPrune.execute("--model", "resnet18"));
        assertEquals(2, TrainAndPrune.execute("--dataset", "synthetic", "--sparsity", "1.5", "--subset", "64",
                "--batch-size", "16", "--max-iterations", "1", "--output", dir.resolve("x").toString()));
        assertEquals(0, TrainAndPrune.execute("--help"));
    }
}
