package org.rpg4j.examples.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rpg4j.examples.ExampleRun;
import org.rpg4j.examples.cli.Options;
import org.rpg4j.examples.results.RunRecord;
import picocli.CommandLine;

/**
 * A tiny run of each structured method on generated data (the small CNN: c1_conv 16, c2_conv 32 and
 * fc1 128 channels, each convolution followed by batch norm), through the command line's path: the shrunk network's channel counts, the written model
 * and the new results.json fields.
 */
class StructuredRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Runs TrainAndPrune's example on tiny synthetic data with {@code extra} options; also used by DataDrivenRunTest. */
    static RunRecord run(Path output, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("--dataset", "synthetic", "--model", "small-cnn", "--subset", "64",
                "--test-subset", "32", "--batch-size", "16", "--max-iterations", "3", "--progress-every", "1",
                "--output", output.toString()));
        args.addAll(List.of(extra));
        Options options = new Options();
        new CommandLine(options).parseArgs(args.toArray(new String[0]));
        List<String> lines = new ArrayList<>();
        return new ExampleRun(options, args, lines::add).run();
    }

    /** @return each pruned layer's channel count after shrinking, by layer name */
    static Map<String, Long> channelsAfter(RunRecord r) {
        return r.structured().layers().stream().collect(Collectors.toMap(StructuredOutcome.LayerChannels::layer,
                StructuredOutcome.LayerChannels::after));
    }

    @ParameterizedTest
    @ValueSource(strings = {"l1-filter", "l2-filter", "ssl"})
    void perLayerMethodsHalveEveryHiddenLayer(String method) throws IOException {
        Path output = dir.resolve(method);
        RunRecord r = run(output, "--method", method, "--channel-sparsity", "0.5");
        // per layer: floor(0.5 * 16) = 8 of c1's, 16 of c2's 32 and 64 of fc1's 128 channels removed;
        // the output layer's 10 classes are never pruned
        Map<String, Long> after = channelsAfter(r);
        assertEquals(8L, after.get("c1_conv"));
        assertEquals(16L, after.get("c2_conv"));
        assertEquals(64L, after.get("fc1"));
        assertEquals(8L, after.get("c1_bn"), "batch norm follows its convolution");
        assertEquals(16L, after.get("c2_bn"));
        ComputationGraph saved = ModelSerializer.restoreComputationGraph(output.resolve("model.zip").toFile(), false);
        assertEquals(8, saved.getLayer("c1_conv").getParam("W").size(0), "the saved model is the shrunk one");
        assertEquals(6, r.history().iterations(), "3 training + 3 fine-tuning iterations (--max-iterations per phase)");
        JsonNode json = JSON.readTree(output.resolve("results.json").toFile());
        JsonNode c = json.get("compaction");
        assertTrue(c.get("paramsAfter").asLong() < c.get("paramsBefore").asLong() / 2, c.toString());
        assertTrue(c.get("macsAfter").asLong() < c.get("macsBefore").asLong() / 2, c.toString());
        for (String side : List.of("imagesPerSecondBefore", "imagesPerSecondAfter")) {
            assertTrue(c.get(side).get("batch1").asDouble() > 0 && c.get(side).get("batch64").asDouble() > 0, side);
        }
        JsonNode s = json.get("structured");
        assertEquals(0.5, s.get("channelSparsity").asDouble());
        assertTrue(s.get("accuracyFineTuned").isNumber());
        assertEquals(0, s.get("scratch").size(), "no training from scratch by default");
        assertTrue(Files.size(output.resolve("structured_report.txt")) > 0);
    }

    @Test
    void slimmingRanksGloballyOnBatchNormScalesAndLeavesLayersWithoutOneWhole() throws IOException {
        RunRecord r = run(dir.resolve("slim"), "--method", "slimming", "--channel-sparsity", "0.5", "--penalty",
                "1e-3");
        Map<String, Long> after = channelsAfter(r);
        // global: floor(0.5 * (16 + 32)) = 24 of the 48 batch-normalised channels go; fc1 has no BN scale
        assertEquals(24L, after.get("c1_conv") + after.get("c2_conv"));
        assertTrue(after.get("c1_conv") >= 1 && after.get("c2_conv") >= 1);
        assertEquals(128L, after.get("fc1"));
        assertEquals("global", r.structured().scope());
        assertEquals(1e-3, r.structured().penalty());
    }

    @Test
    void gradualScheduleAndScratchTraining() throws IOException {
        RunRecord r = run(dir.resolve("gradual"), "--method", "l1-filter", "--channel-sparsity", "0.25",
                "--channel-schedule", "cubic", "--fine-tune-epochs", "0", "--from-scratch", "both");
        Map<String, Long> after = channelsAfter(r);
        assertEquals(12L, after.get("c1_conv")); // 16 - floor(0.25 * 16)
        assertEquals(24L, after.get("c2_conv"));
        assertEquals(96L, after.get("fc1"));
        assertNull(r.structured().accuracyFineTuned());
        assertEquals(3, r.history().iterations(), "no fine-tuning");
        List<StructuredOutcome.ScratchRun> scratch = r.structured().scratch();
        assertEquals(List.of("scratch-e", "scratch-b"), scratch.stream().map(StructuredOutcome.ScratchRun::kind)
                .toList());
        assertEquals(1, scratch.get(0).epochs(), "scratch-e: --epochs (1 epoch of 3 iterations)");
        // the MACs fall to about (12/16)(24/32) of c2's and 96/128 of fc1's: 1 epoch * ratio rounds to 2, the cap
        assertEquals(2, scratch.get(1).epochs(), "scratch-b: same MACs, at most 2x --epochs");
        scratch.forEach(run -> assertTrue(run.accuracy() >= 0 && run.accuracy() <= 1, run.toString()));
    }

    @Test
    void unstructuredRunsReportTheirCompactionToo() throws IOException {
        Path output = dir.resolve("gmp");
        RunRecord r = run(output, "--method", "gmp", "--sparsity", "0.9", "--delta-t", "1", "--ramp-end", "1",
                "--update-end", "1");
        assertNull(r.structured());
        assertEquals("dead channels", r.compaction().how());
        assertTrue(r.compaction().paramsAfter() <= r.compaction().paramsBefore());
        assertTrue(Files.exists(output.resolve("model_shrunk.zip")));
        JsonNode json = JSON.readTree(output.resolve("results.json").toFile());
        assertTrue(json.get("compaction").get("imagesPerSecondAfter").get("batch64").asDouble() > 0);
        RunRecord dense = run(dir.resolve("dense"), "--method", "dense");
        assertEquals(dense.compaction().paramsBefore(), dense.compaction().paramsAfter(), "dense: nothing removed");
        assertEquals(dense.compaction().macsBefore(), dense.compaction().macsAfter());
    }
}
