package org.rpg4j.dl4j.deploy.runner;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.rpg4j.sparse.kernel.CallThreads;

/**
 * A runner's settled choices, to keep with a deployed network: per batch size, the kernel of every layer with a
 * choice of kernels (in execution order) and the whole calls' choice of threads. {@link SparseRunner#tuningPlan()}
 * writes it after {@link SparseRunner#calibrate}; {@link SparseRunner#applyPlan} loads it into a runner compiled
 * from the same network, which then times nothing at those batch sizes. JSON with {@link #toJson()} and {@link
 * #fromJson(String)}:
 *
 * <pre>{@code
 * {"format":"rpg4j-runner-plan","version":1,"batches":[{"batch":32,"threads":"CALLER",
 *   "layers":[{"name":"conv1_1","operation":"conv 3x3/1 3->64 +relu","kernel":"DENSE"}, ...]}]}
 * }</pre>
 *
 * @param batches one entry per batch size, each batch size once
 */
public record TuningPlan(List<Batch> batches) {

    /** The {@code format} field of the JSON form. */
    public static final String FORMAT = "rpg4j-runner-plan";
    /** The {@code version} field of the JSON form. */
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Validates the plan.
     *
     * @param batches one entry per batch size, not null, no batch size twice
     * @throws IllegalArgumentException if it is null, holds null or a batch size twice
     */
    public TuningPlan {
        if (batches == null || batches.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("batches must not be null nor hold null, got " + batches);
        }
        if (batches.stream().map(Batch::batch).distinct().count() != batches.size()) {
            throw new IllegalArgumentException("batches must hold each batch size once, got " + batches.stream().map(
                    Batch::batch).toList());
        }
        batches = List.copyOf(batches);
    }

    /**
     * One batch size's choices.
     *
     * @param batch the batch size, &ge; 1
     * @param threads the whole calls' choice of threads, or null where the runner does not choose them
     *     ({@link org.rpg4j.sparse.kernel.KernelThreading#PER_CALL} only)
     * @param layers the layers with a choice of kernels, in execution order
     */
    public record Batch(int batch, CallThreads threads, List<Layer> layers) {

        /**
         * Validates the entry.
         *
         * @param batch the batch size, &ge; 1
         * @param threads the choice of threads, or null
         * @param layers the layers in execution order, not null
         * @throws IllegalArgumentException if {@code batch < 1} or {@code layers} is or holds null
         */
        public Batch {
            if (batch < 1) {
                throw new IllegalArgumentException("batch must be >= 1, got " + batch);
            }
            if (layers == null || layers.stream().anyMatch(java.util.Objects::isNull)) {
                throw new IllegalArgumentException("layers of batch " + batch + " must not be null nor hold null");
            }
            layers = List.copyOf(layers);
        }
    }

    /**
     * One layer's kernel.
     *
     * @param name the layer name (the first of a fused group, as {@link LayerChoice#name()})
     * @param operation what the layer computes, as {@link LayerChoice#operation()} (shapes included)
     * @param kernel the kernel it runs
     */
    public record Layer(String name, String operation, KernelKind kernel) {

        /**
         * Validates the entry.
         *
         * @param name the layer name, not null
         * @param operation what the layer computes, not null
         * @param kernel the kernel, not null
         * @throws IllegalArgumentException if an argument is null
         */
        public Layer {
            if (name == null || operation == null || kernel == null) {
                throw new IllegalArgumentException("name, operation and kernel must not be null, got " + name + ", "
                        + operation + " and " + kernel);
            }
        }
    }

    /**
     * @param batch a batch size
     * @return its entry, or null
     */
    public Batch batch(int batch) {
        return batches.stream().filter(b -> b.batch() == batch).findFirst().orElse(null);
    }

    /** @return the plan as JSON (see the class comment) */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        ArrayNode list = root.putArray("batches");
        for (Batch b : batches) {
            ObjectNode entry = list.addObject();
            entry.put("batch", b.batch());
            if (b.threads() == null) {
                entry.putNull("threads");
            } else {
                entry.put("threads", b.threads().name());
            }
            ArrayNode layers = entry.putArray("layers");
            for (Layer layer : b.layers()) {
                layers.addObject().put("name", layer.name()).put("operation", layer.operation()).put("kernel", layer
                        .kernel().name());
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the plan as JSON", e);
        }
    }

    /**
     * @param json a plan written by {@link #toJson()}
     * @return the plan
     * @throws IllegalArgumentException if it is null, not JSON, of another format or version, or an entry lacks a
     *     field or names an unknown kernel or choice of threads (the message names the entry)
     */
    public static TuningPlan fromJson(String json) {
        if (json == null) {
            throw new IllegalArgumentException("json must not be null");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("json is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !FORMAT.equals(root.path("format").asText(null)) || root.path("version").asInt(
                -1) != VERSION) {
            throw new IllegalArgumentException("json must have format \"" + FORMAT + "\" and version " + VERSION
                    + ", got format " + (root == null ? null : root.get("format")) + " and version "
                    + (root == null ? null : root.get("version")));
        }
        JsonNode list = root.get("batches");
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException("json must hold an array \"batches\", got " + list);
        }
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            String where = "batches[" + i + "]";
            if (!entry.path("batch").canConvertToInt()) {
                throw new IllegalArgumentException(where + ".batch must be an integer, got " + entry.get("batch"));
            }
            JsonNode threads = entry.get("threads");
            CallThreads choice = threads == null || threads.isNull() ? null : parse(CallThreads.class, threads,
                    where + ".threads");
            JsonNode layerList = entry.get("layers");
            if (layerList == null || !layerList.isArray()) {
                throw new IllegalArgumentException(where + ".layers must be an array, got " + layerList);
            }
            List<Layer> layers = new ArrayList<>();
            for (int l = 0; l < layerList.size(); l++) {
                JsonNode layer = layerList.get(l);
                String at = where + ".layers[" + l + "]";
                if (!layer.path("name").isTextual() || !layer.path("operation").isTextual()) {
                    throw new IllegalArgumentException(at + " must have text fields name and operation, got " + layer);
                }
                layers.add(new Layer(layer.get("name").asText(), layer.get("operation").asText(), parse(
                        KernelKind.class, layer.get("kernel"), at + ".kernel")));
            }
            batches.add(new Batch(entry.get("batch").asInt(), choice, layers));
        }
        return new TuningPlan(batches);
    }

    private static <E extends Enum<E>> E parse(Class<E> type, JsonNode value, String where) {
        if (value != null && value.isTextual()) {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equals(value.asText())) {
                    return constant;
                }
            }
        }
        throw new IllegalArgumentException(where + " must be one of " + java.util.Arrays.toString(type
                .getEnumConstants()) + ", got " + value);
    }
}
