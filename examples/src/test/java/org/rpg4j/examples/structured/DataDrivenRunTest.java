package org.rpg4j.examples.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rpg4j.examples.structured.StructuredRunTest.channelsAfter;
import static org.rpg4j.examples.structured.StructuredRunTest.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.rpg4j.examples.results.RunRecord;

/**
 * A tiny run of each data-driven method on generated data through the command line's path (the
 * small CNN: c1_conv 16, c2_conv 32 and fc1 128 channels; 64 training images in batches of 16,
 * {@code --max-iterations 3} per phase): the shrunk network's channel counts, the saved model and the
 * {@code "structured"} / {@code "dataDriven"} fields of results.json.
 */
class DataDrivenRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static JsonNode dataDriven(Path output, String criterion) throws IOException {
        JsonNode s = JSON.readTree(output.resolve("results.json").toFile()).get("structured");
        assertEquals(criterion, s.get("criterion").asText());
        assertEquals(0.5, s.get("channelSparsity").asDouble());
        JsonNode d = s.get("dataDriven");
        assertTrue(d.get("statisticMsPerBatch").asDouble() > 0, d.toString());
        assertTrue(d.get("seconds").asDouble() > 0, d.toString());
        return d;
    }

    @Test
    void hrankRanksTheConvolutionsAndLeavesTheDenseLayerWhole() throws IOException {
        Path output = dir.resolve("hrank");
        RunRecord r = run(output, "--method", "hrank", "--channel-sparsity", "0.5", "--stat-batches",
                "2");
        // per layer: floor(0.5 * 16) = 8 of c1's and 16 of c2's 32 channels go; fc1's units are not 2-D maps
        Map<String, Long> after = channelsAfter(r);
        assertEquals(8L, after.get("c1_conv"));
        assertEquals(16L, after.get("c2_conv"));
        assertEquals(128L, after.get("fc1"));
        ComputationGraph saved = ModelSerializer.restoreComputationGraph(output.resolve("model.zip").toFile(), false);
        assertEquals(16, saved.getLayer("c2_conv").getParam("W").size(0), "the saved model is the shrunk one");
        assertEquals(6, r.history().iterations(), "3 training + 3 fine-tuning iterations");
        assertTrue(r.structured().accuracyFineTuned() != null);
        JsonNode d = dataDriven(output, "hrank");
        assertEquals(2, d.get("statisticBatches").asInt());
        assertEquals(32, d.get("statisticImages").asLong(), "2 batches of 16");
        assertEquals(1, d.get("collections").asInt());
        assertTrue(d.get("samples").isNull() && d.get("weights").isNull(), d.toString());
        assertEquals(1, d.get("unscored").size(), d.toString());
        assertTrue(d.get("unscored").get(0).asText().contains("128 channels"), d.toString());
    }

    @Test
    void channelPruningRefitsAndRecordsItsSamples() throws IOException {
        Path output = dir.resolve("cp");
        RunRecord r = run(output, "--method", "channel-pruning", "--channel-sparsity", "0.5",
                "--stat-batches", "2",
                "--samples", "300");
        Map<String, Long> after = channelsAfter(r);
        assertEquals(8L, after.get("c1_conv"));
        assertEquals(16L, after.get("c2_conv"));
        // fc1's units are the inputs of the output layer, reconstructed like a dense layer's
        assertEquals(64L, after.get("fc1"));
        JsonNode d = dataDriven(output, "channel-pruning");
        assertEquals(300, d.get("samples").asInt());
        assertEquals(32, d.get("statisticImages").asLong());
        assertTrue(d.get("statisticRetainedBytes").asLong() > 0, "the patch reservoirs");
        assertEquals(0, d.get("unscored").size(), "every group has a single plain consumer: " + d);
        assertEquals("per-layer", r.structured().scope());
    }

    @Test
    void dropNetDropsInRoundsDuringTraining() throws IOException {
        Path output = dir.resolve("dropnet");
        RunRecord r = run(output, "--method", "dropnet", "--channel-sparsity", "0.5",
                "--stat-batches", "1",
                "--dropnet-rounds", "2", "--fine-tune-epochs", "0");
        Map<String, Long> after = channelsAfter(r);
        assertEquals(8L, after.get("c1_conv"));
        assertEquals(16L, after.get("c2_conv"));
        assertEquals(64L, after.get("fc1"));
        assertEquals(3, r.history().iterations(), "no fine-tuning");
        JsonNode d = dataDriven(output, "dropnet");
        assertEquals(2, d.get("collections").asInt());
        // the rounds ran after iterations 1 and 2 (ceil(r * 2 / 2) of a 2-iteration ramp), so the trained network
        // already had its dropped channels at exactly zero and the shrunk one computes the same function
        assertEquals(r.structured().accuracyBeforePruning(), r.structured().accuracyAfterPruning());
        assertEquals(16, d.get("statisticImages").asLong());
        assertEquals("keep", d.get("weights").asText());
        assertNull(r.structured().accuracyFineTuned());
    }

    @Test
    void dropNetResetAndGlobalScope() throws IOException {
        RunRecord r = run(dir.resolve("reset"), "--method", "dropnet", "--channel-sparsity", "0.5",
                "--stat-batches", "1", "--dropnet-rounds", "1", "--dropnet-weights", "reset", "--channel-scope",
                "global");
        // global: floor(0.5 * (16 + 32 + 128)) = 88 of the 176 channels go, split by the ranking
        Map<String, Long> after = channelsAfter(r);
        assertEquals(88L, after.get("c1_conv") + after.get("c2_conv") + after.get("fc1"));
        assertEquals("global", r.structured().scope());
        assertEquals("reset", r.structured().dataDriven().weights());
    }

    @Test
    void structuredRunsDistilFromATeacher() throws IOException {
        Path teacher = dir.resolve("teacher");
        run(teacher, "--method", "dense");
        RunRecord plain = run(dir.resolve("plain"), "--method", "hrank", "--channel-sparsity", "0.5",
                "--stat-batches", "1");
        RunRecord distilled = run(dir.resolve("distilled"), "--method", "hrank", "--channel-sparsity", "0.5",
                "--stat-batches", "1", "--teacher", teacher.resolve("model.zip").toString(), "--temperature", "2");
        assertEquals(teacher.resolve("model.zip").toString(), distilled.options().get("teacher"));
        assertEquals(2.0, distilled.options().get("temperature"));
        // same seed and data: only the loss differs, so the distilled run's training loss must differ
        assertNotEquals(plain.history().epochs().get(0).trainLoss(), distilled.history().epochs().get(0).trainLoss());
        assertEquals(channelsAfter(plain), channelsAfter(distilled),
                "the same channel counts either way");
    }
}
