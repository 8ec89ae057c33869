package org.rpg4j.examples.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.rpg4j.dl4j.structured.StructuredPruning;
import org.rpg4j.dl4j.structured.StructuredReport;

/**
 * After an unstructured pruning run: how much smaller the network becomes, for free, when the
 * channels the run emptied are removed (outputs unchanged; see {@code StructuredPruning.removeDeadChannels}).
 * Writes {@code dead_channels.txt} (the per-layer table) and prints one line.
 */
public final class DeadChannelSummary {
    private DeadChannelSummary() {}

    /**
     * @param net the trained network (read, not modified)
     * @param inputShape {@code [channels, height, width]}
     * @param dir output directory
     * @param out where the summary line goes
     * @throws IOException if the table cannot be written
     */
    public static void write(ComputationGraph net, int[] inputShape, Path dir, Consumer<String> out)
            throws IOException {
        StructuredReport report;
        try {
            report = StructuredPruning.removeDeadChannels(net, inputShape).report();
        } catch (IllegalArgumentException | IllegalStateException e) {
            out.accept("dead-channel removal not possible on this network: " + e.getMessage());
            return;
        }
        Files.writeString(dir.resolve("dead_channels.txt"), report.toString());
        out.accept(String.format(Locale.ROOT,
                "dead channels removed: parameters %d -> %d (%.1f %%), MACs/image %d -> %d"
                        + " (%.1f %%) with unchanged outputs; table in dead_channels.txt", report.paramsBefore(), report
                                .paramsAfter(),
                100.0 * report.paramsAfter() / report.paramsBefore(), report.macsBefore(), report.macsAfter(),
                100.0 * report.macsAfter() / Math.max(1, report.macsBefore())));
    }
}
