package org.rpg4j.examples.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.rpg4j.dl4j.structured.StructuredConfig;
import org.rpg4j.dl4j.structured.StructuredPruning;
import org.rpg4j.dl4j.structured.StructuredResult;
import org.rpg4j.examples.structured.Compaction;
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
     * @return the network with its dead channels removed, or empty if the network cannot be analysed
     * @throws IOException if the table cannot be written
     */
    public static Optional<StructuredResult> write(ComputationGraph net, int[] inputShape, Path dir,
                                                   Consumer<String> out) throws IOException {
        StructuredResult result;
        try {
            result = StructuredPruning.removeDeadChannels(net, inputShape);
        } catch (IllegalArgumentException | IllegalStateException e) {
            out.accept("dead-channel removal not possible on this network: " + e.getMessage());
            return Optional.empty();
        }
        StructuredReport report = result.report();
        Files.writeString(dir.resolve("dead_channels.txt"), report.toString());
        out.accept(String.format(Locale.ROOT,
                "dead channels removed: parameters %d -> %d (%.1f %%), MACs/image %d -> %d"
                        + " (%.1f %%) with unchanged outputs; table in dead_channels.txt", report.paramsBefore(), report
                                .paramsAfter(),
                100.0 * report.paramsAfter() / report.paramsBefore(), report.macsBefore(), report.macsAfter(),
                100.0 * report.macsAfter() / Math.max(1, report.macsBefore())));
        return Optional.of(result);
    }

    /**
     * Size and measured inference speed before and after dead-channel removal; for a run that pruned
     * nothing (or whose network cannot be analysed) both sides are the trained network, its size counted
     * by an analysis that removes nothing.
     *
     * @param net the trained network (not modified)
     * @param dead its dead channels removed, from {@link #write}, or empty
     * @param inputShape {@code [channels, height, width]}
     * @param out where the summary line goes
     * @return the measurements, or null if the network cannot be analysed at all
     */
    public static Compaction compaction(ComputationGraph net, Optional<StructuredResult> dead, int[] inputShape,
                                        Consumer<String> out) {
        try {
            StructuredResult shrunk = dead.isPresent() ? dead.get() : StructuredPruning.prune(net, StructuredConfig
                    .builder(0).inputShape(inputShape[0], inputShape[1], inputShape[2]).build());
            Compaction c = Compaction.measure(dead.isPresent() ? "dead channels" : "nothing (dense training)", shrunk
                    .report(), net, dead.isPresent() ? (ComputationGraph) shrunk.network() : net, inputShape);
            out.accept(String.format(Locale.ROOT, "inference images/s batch 1: %.0f -> %.0f, batch 64: %.0f -> %.0f "
                    + "(load %.1f)", c.imagesPerSecondBefore().batch1(), c.imagesPerSecondAfter().batch1(), c
                            .imagesPerSecondBefore().batch64(), c.imagesPerSecondAfter().batch64(), c.loadAverage()));
            return c;
        } catch (IllegalArgumentException | IllegalStateException e) {
            out.accept("size and speed not measured: " + e.getMessage());
            return null;
        }
    }
}
