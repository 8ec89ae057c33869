package org.rpg4j.examples.study;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * What the study reads back from one finished run's {@code results.json}.
 *
 * @param id the run's directory name
 * @param model model name, e.g. {@code resnet20}
 * @param dataset data set name as the run reported it (e.g. {@code fashion-mnist})
 * @param synthetic true if the run trained on synthetic data
 * @param method method name, e.g. {@code rpg}
 * @param targetSparsity the requested sparsity (0 for dense training)
 * @param seed the run's seed
 * @param testAccuracy test accuracy after the last epoch, in [0, 1]
 * @param sparsity measured fraction of zero prunable weights at the end
 * @param wallSeconds wall time of the run
 * @param iterations training iterations
 * @param layers the final per-layer statistics
 */
public record RunResult(String id, String model, String dataset, boolean synthetic, String method,
                        double targetSparsity, long seed, double testAccuracy, double sparsity, double wallSeconds,
                        long iterations, List<Layer> layers) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Defensive copy of the layers. */
    public RunResult {
        layers = List.copyOf(layers);
    }

    /**
     * A prunable layer at the end of the run.
     *
     * @param name layer name
     * @param parameters weights
     * @param sparsity fraction of exact zeros
     * @param deltaRank delta-rank of the normalised {@code [out, rest]} matrix
     * @param fullRank {@code min(out, rest)}
     * @param zeroRows all-zero rows of {@code [out, rest]}
     * @param zeroColumns all-zero columns of {@code [out, rest]}
     * @param rows {@code out}
     * @param columns {@code rest}
     */
    public record Layer(String name, long parameters, double sparsity, int deltaRank, int fullRank, long zeroRows,
                        long zeroColumns, long rows, long columns) {}

    /**
     * @param id the run's id
     * @param file its {@code results.json}
     * @return the run's result
     * @throws IOException if the file cannot be read or lacks a field the study needs (the message
     *     names the file and the field)
     */
    public static RunResult read(String id, Path file) throws IOException {
        JsonNode root = MAPPER.readTree(file.toFile());
        JsonNode options = required(root, "options", file);
        JsonNode summary = required(root, "summary", file);
        List<Layer> layers = new ArrayList<>();
        for (JsonNode l : required(root, "finalLayers", file)) {
            JsonNode shape = required(l, "shape", file);
            long rows = shape.get(0).asLong();
            long parameters = required(l, "parameters", file).asLong();
            layers.add(new Layer(required(l, "name", file).asText(), parameters,
                    required(l, "sparsity", file).asDouble(), required(l, "deltaRank", file).asInt(),
                    required(l, "fullRank", file).asInt(), required(l, "zeroRows", file).asLong(),
                    required(l, "zeroColumns", file).asLong(), rows, parameters / rows));
        }
        String method = required(root, "method", file).asText();
        return new RunResult(id, required(options, "model", file).asText(),
                required(required(root, "data", file), "name", file).asText(),
                required(root, "data", file).path("synthetic").asBoolean(false), method,
                method.equals("dense") ? 0.0 : required(options, "sparsity", file).asDouble(),
                required(options, "seed", file).asLong(), required(summary, "finalTestAccuracy", file).asDouble(),
                required(summary, "finalSparsity", file).asDouble(), required(summary, "wallSeconds", file).asDouble(),
                required(summary, "iterations", file).asLong(), layers);
    }

    /** @return mean delta-rank over the prunable layers */
    public double meanDeltaRank() {
        return layers.stream().mapToInt(Layer::deltaRank).average().orElse(Double.NaN);
    }

    /** @return mean over the prunable layers of delta-rank / full rank, in [0, 1] */
    public double meanRankFraction() {
        return layers.stream().mapToDouble(l -> l.fullRank() == 0 ? 0.0 : (double) l.deltaRank() / l.fullRank())
                .average().orElse(Double.NaN);
    }

    /** @return all-zero rows summed over the layers */
    public long zeroRows() {
        return layers.stream().mapToLong(Layer::zeroRows).sum();
    }

    /** @return all-zero columns summed over the layers */
    public long zeroColumns() {
        return layers.stream().mapToLong(Layer::zeroColumns).sum();
    }

    private static JsonNode required(JsonNode node, String field, Path file) throws IOException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IOException(file + ": no field '" + field + "' (was it written by an older rpg4j?)");
        }
        return value;
    }
}
