package org.rpg4j.examples.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rpg4j.examples.CliRejection.rejection;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rpg4j.dl4j.structured.data.WeightReset;
import org.rpg4j.examples.CliRejection;
import org.rpg4j.examples.cli.Options;
import org.rpg4j.examples.datadriven.DataDrivenOptions;
import org.rpg4j.examples.train.Method;
import picocli.CommandLine;

/**
 * The data-driven methods on the command line: names, defaults, the options recorded in
 * results.json, and each bad command line with the exact first line the user reads (every case is a
 * valid tiny run plus the bad options, rejected before any data is loaded).
 */
class DataDrivenCliErrorsTest {
    @TempDir
    static Path dir;

    private static Options parse(String... args) {
        Options options = new Options();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    @Test
    void namesDefaultsAndRecordedOptions() {
        assertEquals(Method.HRANK, parse("--method", "hrank").method);
        assertEquals(Method.DROPNET, parse("--method", "DropNet").method);
        Options o = parse("--method", "channel-pruning");
        assertEquals(Method.CHANNEL_PRUNING, o.method);
        assertEquals(List.of(Method.HRANK, Method.DROPNET, Method.CHANNEL_PRUNING), Stream.of(Method.values()).filter(
                Method::dataDriven).toList());
        assertEquals(true, Method.CHANNEL_PRUNING.structured());
        assertEquals(false, Method.SSL.dataDriven());
        DataDrivenOptions d = o.dataDriven;
        assertEquals(DataDrivenOptions.DEFAULT_STAT_BATCHES, d.resolvedStatBatches());
        assertEquals(DataDrivenOptions.DEFAULT_SAMPLES, d.resolvedSamples());
        assertEquals(DataDrivenOptions.DEFAULT_DROPNET_ROUNDS, d.resolvedDropnetRounds());
        assertEquals(WeightReset.KEEP, d.resolvedDropnetWeights());
        assertNull(o.asMap().get("statBatches"), "options not given are recorded as null");
        Options given = parse("--method", "dropnet", "--stat-batches", "3", "--dropnet-rounds", "5",
                "--dropnet-weights", "reset");
        assertEquals(WeightReset.RESET_TO_INITIAL, given.dataDriven.resolvedDropnetWeights());
        assertEquals(3, given.asMap().get("statBatches"));
        assertEquals(5, given.asMap().get("dropnetRounds"));
        assertEquals("reset", given.asMap().get("dropnetWeights"));
        // the criterion names of results.json are the library's
        assertEquals("hrank", StructuredMethod.of(Method.HRANK).criterion());
        assertEquals("dropnet", StructuredMethod.of(Method.DROPNET).criterion());
        assertEquals("channel-pruning", StructuredMethod.of(Method.CHANNEL_PRUNING).criterion());
        assertEquals(StructuredMethod.ScoredOn.DATA, StructuredMethod.of(Method.HRANK).scoredOn());
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                rejection(
                        "--method hrank needs --channel-sparsity R, the fraction of prunable channels removed, in [0, 1)",
                        "--method", "hrank"),
                rejection("--stat-batches applies to --method hrank, dropnet and channel-pruning only, not to --method "
                        + "l1-filter: drop --stat-batches", "--method", "l1-filter", "--channel-sparsity", "0.5",
                        "--stat-batches", "4"),
                rejection(
                        "--stat-batches applies to --method hrank, dropnet and channel-pruning only, not to --method rpg: "
                                + "drop --stat-batches", "--method", "rpg", "--stat-batches", "4"),
                rejection("--samples applies to --method channel-pruning only, not to --method hrank: drop --samples",
                        "--method", "hrank", "--channel-sparsity", "0.5", "--samples", "100"),
                rejection("--dropnet-rounds applies to --method dropnet only, not to --method channel-pruning: drop "
                        + "--dropnet-rounds", "--method", "channel-pruning", "--channel-sparsity", "0.5",
                        "--dropnet-rounds", "2"),
                rejection("--dropnet-weights applies to --method dropnet only, not to --method hrank: drop "
                        + "--dropnet-weights", "--method", "hrank", "--channel-sparsity", "0.5", "--dropnet-weights",
                        "reset"),
                rejection("--stat-batches must be >= 1, got 0", "--method", "hrank", "--channel-sparsity", "0.5",
                        "--stat-batches", "0"),
                rejection("--samples must be >= 1, got -3", "--method", "channel-pruning", "--channel-sparsity", "0.5",
                        "--samples", "-3"),
                rejection("--dropnet-rounds must be >= 1, got 0", "--method", "dropnet", "--channel-sparsity", "0.5",
                        "--dropnet-rounds", "0"),
                rejection("--channel-schedule applies to --method l1-filter, l2-filter, slimming and ssl only, not to "
                        + "--method hrank, which removes channels once, after training: drop --channel-schedule",
                        "--method", "hrank", "--channel-sparsity", "0.5", "--channel-schedule", "cubic"),
                rejection("--channel-schedule applies to --method l1-filter, l2-filter, slimming and ssl only, not to "
                        + "--method dropnet, which drops channels in --dropnet-rounds rounds during training: drop "
                        + "--channel-schedule", "--method", "dropnet", "--channel-sparsity", "0.5",
                        "--channel-schedule", "one-shot"),
                rejection("--channel-updates applies to --method l1-filter, l2-filter, slimming and ssl only, not to "
                        + "--method channel-pruning, which removes channels once, after training: drop "
                        + "--channel-updates", "--method", "channel-pruning", "--channel-sparsity", "0.5",
                        "--channel-updates", "4"),
                rejection(
                        "--channel-scope global does not apply to --method channel-pruning, which chooses each layer's "
                                + "input channels by reconstructing that layer's output: give --channel-scope per-layer or "
                                + "drop it", "--method", "channel-pruning", "--channel-sparsity", "0.5",
                        "--channel-scope",
                        "global"),
                rejection(
                        "--penalty applies to --method slimming and ssl only, not to --method dropnet, which applies no "
                                + "penalty during training", "--method", "dropnet", "--channel-sparsity", "0.5",
                        "--penalty",
                        "1e-4"),
                rejection(
                        "--sparsity applies to the unstructured methods only, not to --method hrank, which removes whole "
                                + "channels: give --channel-sparsity R (the fraction of prunable channels removed) instead",
                        "--method", "hrank", "--sparsity", "0.5"),
                rejection("Invalid value for option '--dropnet-weights': expected keep or reset but was 'rewind'",
                        "--method", "dropnet", "--dropnet-weights", "rewind"),
                // at 64 images of 16 and --max-iterations 3, the first 75 % of training is 2 iterations
                rejection("--dropnet-rounds 3 needs at least one training iteration per round in the first 75 % of "
                        + "training, which has 2 iterations: give at most 2 rounds or train longer", "--method",
                        "dropnet", "--channel-sparsity", "0.5", "--max-iterations", "3"));
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void badInputGetsItsExactMessage(String message, List<String> bad) {
        CliRejection.assertTinyRunRejected(dir.resolve("run"), message, bad);
    }
}
