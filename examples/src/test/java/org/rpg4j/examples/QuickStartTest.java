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

/** {@link QuickStart} runs on tiny data, and the README shows its code verbatim. */
class QuickStartTest {
    private static final Path SOURCE = Path.of("src/main/java/org/rpg4j/examples/QuickStart.java");
    private static final Path README = Path.of("../README.md");

    @TempDir
    Path dir;

    /**
     * 2,000 iterations (250 epochs x 8 minibatches of 16): the schedule reaches 95 % by iteration
     * 1,800 (90 % of the run); the reference keeps one weight more than the target per layer at most.
     */
    @Test
    void prunesTheSmallNetworkToTheTargetAndSavesIt() throws IOException {
        List<DataSet> batches = QuickStart.randomBatches(8, 16, 3);
        File file = dir.resolve("quick-start.zip").toFile();
        Pruning pruning = QuickStart.pruneWhileTraining(QuickStart.smallNetwork(3),
                new ListDataSetIterator<>(batches), 250, batches.size(), file);
        PruningReport report = pruning.report();
        assertEquals(2, report.layers().size(), report.toString());
        assertTrue(report.globalSparsity() >= 0.95 - 1e-3, report.toString());
        assertTrue(pruning.lastUpdate().orElseThrow().iteration() >= 1_799, "the ramp ran to its end");
        for (LayerReport l : report.layers()) {
            assertTrue(l.zeroRows() >= 0 && l.zeroRows() <= l.shape()[1], l.toString());
        }
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
