package org.rpg4j.dl4j.structured;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/** JSON form of {@link StructuredConfig}. */
final class StructuredConfigJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final int FORMAT_VERSION = 1;

    private StructuredConfigJson() {}

    static String write(StructuredConfig c) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT_VERSION);
        root.put("channelSparsity", c.channelSparsity());
        root.put("criterion", c.criterion());
        root.put("scope", c.scope().name());
        root.put("channelMultiple", c.channelMultiple());
        ArrayNode excluded = root.putArray("excludedLayers");
        c.excludedLayers().stream().sorted().forEach(excluded::add);
        ObjectNode layers = root.putObject("layerSparsity");
        new java.util.TreeMap<>(c.layerSparsity()).forEach(layers::put);
        c.inputShape().ifPresent(s -> {
            ArrayNode shape = root.putArray("inputShape");
            for (int d : s) {
                shape.add(d);
            }
        });
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException("could not write the structured configuration as JSON", e);
        }
    }

    static StructuredConfig read(String json) {
        if (json == null) {
            throw new IllegalArgumentException("json must not be null");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("json is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || root.path("format").asInt(-1) != FORMAT_VERSION) {
            throw new IllegalArgumentException("json must be a structured configuration of format "
                    + FORMAT_VERSION + ", got " + (root == null ? "nothing" : "format " + root.path("format")));
        }
        StructuredConfig.Builder b = StructuredConfig.builder(required(root, "channelSparsity").asDouble())
                .criterion(required(root, "criterion").asText());
        for (JsonNode l : root.path("excludedLayers")) {
            b.exclude(l.asText());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("layerSparsity").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            b.layerSparsity(e.getKey(), e.getValue().asDouble());
        }
        JsonNode scope = root.path("scope");
        if (!scope.isMissingNode()) {
            b.scope(scopeOf(scope.asText()));
        }
        JsonNode multiple = root.path("channelMultiple");
        if (!multiple.isMissingNode()) {
            b.channelMultiple(multiple.asInt(0));
        }
        JsonNode shape = root.path("inputShape");
        if (shape.isArray() && shape.size() == 3) {
            b.inputShape(shape.get(0).asInt(), shape.get(1).asInt(), shape.get(2).asInt());
        } else if (!shape.isMissingNode()) {
            throw new IllegalArgumentException("inputShape must be [channels, height, width], got " + shape);
        }
        return b.build();
    }

    private static RankingScope scopeOf(String name) {
        for (RankingScope s : RankingScope.values()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("scope must be one of " + java.util.Arrays.toString(RankingScope.values())
                + ", got '" + name + "'");
    }

    private static JsonNode required(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            throw new IllegalArgumentException("json must have the field '" + field + "'");
        }
        return n;
    }
}
