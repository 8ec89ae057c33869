package org.rpg4j.examples.sensitivity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SensitivityTest {
    @Test
    void trainsTheSmallCnnAndWritesTheTableAndPlot(@TempDir Path dir) throws IOException {
        int code = new CommandLine(new Sensitivity()).execute("--dataset", "synthetic", "--train-images", "200",
                "--batch-size", "50", "--eval-batches", "2", "--ratios", "0,0.5", "--out", dir.toString());
        assertEquals(0, code);
        List<String> lines = Files.readAllLines(dir.resolve("sensitivity.csv"));
        // header + 3 prunable groups of the small CNN (c1, c2, fc1) x 2 ratios
        assertEquals(7, lines.size(), String.join("\n", lines));
        assertEquals("group,channels,ratio,removed,loss,accuracy,loss_increase,accuracy_drop", lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            if (f[2].equals("0.0000")) {
                assertEquals("0", f[3], line);
                assertEquals(0.0, Double.parseDouble(f[6]), line);
            }
        }
        assertTrue(Files.size(dir.resolve("sensitivity.png")) > 0);
        assertTrue(Files.size(dir.resolve("model.zip")) > 0);
    }

    @Test
    void rejectsFewerTrainingImagesThanOneBatch(@TempDir Path dir) {
        assertEquals(2, new CommandLine(new Sensitivity()).execute("--dataset", "synthetic", "--train-images", "10",
                "--batch-size", "50", "--out", dir.toString()));
    }
}
