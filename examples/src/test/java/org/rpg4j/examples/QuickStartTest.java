package org.rpg4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.rpg4j.dl4j.Pruning;
import org.rpg4j.prune.LayerReport;
import org.rpg4j.prune.PruningReport;
import org.rpg4j.prune.UpdateSummary;

/** {@link QuickStart} runs on tiny data, and the README shows its code verbatim. */
class QuickStartTest {
    private static final Path SOURCE = Path.of("src/main/java/org/rpg4j/examples/QuickStart.java");
    private static final Path README = Path.of("../README.md");

    @TempDir
    Path dir;

    /**
     * 400 iterations (50 epochs x 8 minibatches of 16, one minibatch per iteration): topology updates
     * after iterations 99, 199 and 299 (the ramp ends at 360); every masked weight is 0, so the
     * report's sparsity is at least the last update's scheduled sparsity.
     */
    @Test
    void prunesTheSmallNetworkOnScheduleAndSavesIt() throws IOException {
        List<DataSet> batches = QuickStart.randomBatches(8, 16, 3);
        File file = dir.resolve("quick-start.zip").toFile();
        Pruning pruning = QuickStart.pruneWhileTraining(QuickStart.smallNetwork(3),
                new ListDataSetIterator<>(batches, 1), 50, batches.size(), file);
        assertEquals(400, pruning.iteration());
        UpdateSummary last = pruning.lastUpdate().orElseThrow();
        assertEquals(299, last.iteration());
        PruningReport report = pruning.report();
        assertEquals(List.of("layer0/W", "layer1/W"), report.layers().stream().map(LayerReport::name).toList());
        assertTrue(last.scheduledDensity() < 0.5, "scheduled density " + last.scheduledDensity());
        assertTrue(report.globalSparsity() >= 1.0 - last.scheduledDensity() - 1e-3, report.toString());
        assertTrue(file.length() > 0, "saved to " + file);
    }

    @Test
    void theReadmeShowsTheQuickStartCodeVerbatim() throws IOException {
        List<String> snippet = snippet(Files.readAllLines(SOURCE));
        assertTrue(snippet.size() >= 5, "snippet: " + snippet);
        String readme = Files.readString(README);
        String block = "## Using it from DL4J\n\n```java\n" + String.join("\n", snippet) + "\n```\n";
        assertTrue(readme.contains(block), "README.md must show, under '## Using it from DL4J', exactly:\n" + block);
    }

    /** @return the lines between the quick-start markers, without the method body's indentation */
    private static List<String> snippet(List<String> source) {
        List<String> lines = new ArrayList<>();
        boolean inside = false;
        for (String line : source) {
            if (line.contains("// quick-start:end")) {
                break;
            }
            if (inside) {
                lines.add(line.startsWith("        ") ? line.substring(8) : line.strip());
            }
            inside |= line.contains("// quick-start:begin");
        }
        return lines;
    }
}
