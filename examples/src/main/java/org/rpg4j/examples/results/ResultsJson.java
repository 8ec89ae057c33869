package org.rpg4j.examples.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.rpg4j.examples.train.EpochMetrics;
import org.rpg4j.examples.train.LayerStat;
import org.rpg4j.examples.train.TracePoint;
import org.rpg4j.examples.train.TrainingHistory;

/**
 * Writes a {@link RunRecord} as {@code results.json} (pretty-printed; NaN as {@code null}). Uses the
 * Jackson that ND4J ships (shaded), so the examples need no JSON library of their own.
 */
public final class ResultsJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ResultsJson() {}

    /**
     * @param record the run
     * @param file the file to write (replaced atomically: written beside it, then moved, so that a
     *     file that exists is complete)
     * @throws IOException if it cannot be written
     */
    public static void write(RunRecord record, Path file) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        MAPPER.writerWithDefaultPrettyPrinter().writeValue(partial.toFile(), toJson(record));
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** @return the run as a JSON tree */
    static ObjectNode toJson(RunRecord r) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("title", r.title());
        ArrayNode args = root.putArray("commandLine");
        r.commandLine().forEach(args::add);
        root.set("options", MAPPER.valueToTree(r.options()));
        root.set("data", MAPPER.valueToTree(r.data()));
        root.set("model", MAPPER.valueToTree(r.model()));
        if (r.sparseExport() != null) {
            root.set("sparseExport", MAPPER.valueToTree(r.sparseExport()));
        }
        if (r.compaction() != null) {
            root.set("compaction", MAPPER.valueToTree(r.compaction()));
        }
        if (r.structured() != null) {
            root.set("structured", MAPPER.valueToTree(r.structured()));
        }
        root.put("method", r.method());
        root.put("methodDescription", r.methodDescription());
        root.set("pruningConfig", parse(r.pruningConfigJson()));
        root.set("plan", MAPPER.valueToTree(r.plan()));
        root.set("summary", summary(r));
        root.set("epochs", epochs(r.history().epochs()));
        root.set("trace", trace(r.history().trace()));
        root.set("finalLayers", layers(r.finalLayers()));
        ObjectNode spectra = root.putObject("singularValues");
        for (Map.Entry<String, double[]> e : r.spectra().entrySet()) {
            ArrayNode values = spectra.putArray(e.getKey());
            Arrays.stream(e.getValue()).forEach(values::add);
        }
        root.set("pruningReport", parse(r.pruningReportJson()));
        root.set("machine", MAPPER.valueToTree(r.machine()));
        return root;
    }

    private static ObjectNode summary(RunRecord r) {
        TrainingHistory h = r.history();
        EpochMetrics last = h.last();
        ObjectNode s = MAPPER.createObjectNode();
        put(s, "finalTestAccuracy", last.testAccuracy());
        put(s, "finalSparsity", last.sparsity());
        put(s, "finalMeanDeltaRank", last.meanDeltaRank());
        s.put("iterations", h.iterations());
        s.put("trainingImages", h.images());
        put(s, "trainingImagesPerSecond", h.imagesPerSecond());
        put(s, "trainingSeconds", h.trainingSeconds());
        put(s, "evaluationSeconds", h.evaluationSeconds());
        put(s, "wallSeconds", r.wallSeconds());
        return s;
    }

    private static ArrayNode epochs(List<EpochMetrics> epochs) {
        ArrayNode array = MAPPER.createArrayNode();
        for (EpochMetrics m : epochs) {
            ObjectNode o = array.addObject();
            o.put("epoch", m.epoch());
            o.put("iteration", m.iteration());
            put(o, "trainLoss", m.trainLoss());
            put(o, "testAccuracy", m.testAccuracy());
            put(o, "sparsity", m.sparsity());
            put(o, "meanDeltaRank", m.meanDeltaRank());
            put(o, "learningRate", m.learningRate());
            put(o, "imagesPerSecond", m.imagesPerSecond());
            put(o, "elapsedSeconds", m.elapsedSeconds());
            o.set("layers", layers(m.layers()));
        }
        return array;
    }

    private static ArrayNode trace(List<TracePoint> trace) {
        ArrayNode array = MAPPER.createArrayNode();
        for (TracePoint p : trace) {
            ObjectNode o = array.addObject();
            o.put("iteration", p.iteration());
            put(o, "loss", p.loss());
            put(o, "sparsity", p.sparsity());
            put(o, "learningRate", p.learningRate());
            put(o, "imagesPerSecond", p.imagesPerSecond());
        }
        return array;
    }

    private static ArrayNode layers(List<LayerStat> layers) {
        ArrayNode array = MAPPER.createArrayNode();
        for (LayerStat l : layers) {
            ObjectNode o = array.addObject();
            o.put("name", l.name());
            o.put("type", l.type());
            ArrayNode shape = o.putArray("shape");
            Arrays.stream(l.shape()).forEach(shape::add);
            o.put("parameters", l.parameters());
            o.put("nonZeros", l.nonZeros());
            put(o, "sparsity", l.sparsity());
            o.put("deltaRank", l.deltaRank());
            o.put("fullRank", l.fullRank());
            o.put("zeroRows", l.zeroRows());
            o.put("zeroColumns", l.zeroColumns());
        }
        return array;
    }

    private static JsonNode parse(String json) throws IOException {
        return json == null ? MAPPER.nullNode() : MAPPER.readTree(json);
    }

    private static void put(ObjectNode o, String key, double value) {
        if (Double.isFinite(value)) {
            o.put(key, value);
        } else {
            o.putNull(key);
        }
    }
}
