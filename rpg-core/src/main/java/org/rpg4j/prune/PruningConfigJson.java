package org.rpg4j.prune;

import java.io.IOException;
import java.util.function.Function;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.rpg4j.mask.LayerBudget;
import org.rpg4j.regrow.RegrowthKind;
import org.rpg4j.schedule.ScheduleKind;
import org.rpg4j.schedule.UpdatePlacement;

/**
 * JSON form of {@link PruningConfig}: a flat object whose fields mirror the builder. Format 2 added
 * {@code updatePlacement}; a format-1 document (written before it existed, e.g. inside an older
 * model zip) reads with {@link UpdatePlacement#REACHING_TARGET}, the only placement then.
 */
final class PruningConfigJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final int FORMAT_VERSION = 2;
    private static final int FIRST_FORMAT = 1;

    private PruningConfigJson() {}

    static String write(PruningConfig c) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT_VERSION);
        root.put("targetSparsity", c.targetSparsity());
        root.put("totalIterations", c.totalIterations());
        root.put("deltaT", c.deltaT());
        root.put("rampEndFraction", c.rampEndFraction());
        root.put("updateEndFraction", c.updateEndFraction());
        root.put("updatePlacement", c.updatePlacement().name());
        root.put("schedule", c.schedule().name());
        root.put("budget", c.budget().name());
        root.put("regrowth", c.regrowth().name());
        root.put("alpha", c.alpha());
        ObjectNode rank = root.putObject("rankLoss");
        RankLoss r = c.rankLoss();
        rank.put("lambda", r.lambda());
        rank.put("partialK", r.partialK());
        rank.put("mode", r.mode().name());
        rank.put("rankEvery", r.rankEvery());
        rank.put("layers", r.layers().name());
        rank.put("minLayerSparsity", r.minLayerSparsity());
        ObjectNode layers = root.putObject("layers");
        writeMatchers(layers.putArray("include"), c.layers().includes());
        writeMatchers(layers.putArray("exclude"), c.layers().excludes());
        ArrayNode caps = layers.putArray("maxSparsity");
        for (LayerSelection.SparsityCap cap : c.layers().caps()) {
            caps.addObject().put("nameRegex", cap.nameRegex()).put("maxSparsity", cap.maxSparsity());
        }
        root.put("unsupportedLayers", c.unsupportedLayers().name());
        root.put("seed", c.seed());
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException("could not write the configuration as JSON", e);
        }
    }

    static PruningConfig read(String json) {
        Checks.notNull("json", json);
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("json must be a PruningConfig JSON document: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("json must be a JSON object, got: " + abbreviate(json));
        }
        int format = required(root, "format").asInt();
        if (format < FIRST_FORMAT || format > FORMAT_VERSION) {
            throw new IllegalArgumentException("format must be " + FIRST_FORMAT + " to " + FORMAT_VERSION + ", got "
                    + format + (format > FORMAT_VERSION ? " (written by a newer rpg4j)" : ""));
        }
        UpdatePlacement placement = format == FIRST_FORMAT ? UpdatePlacement.REACHING_TARGET
                : enumValue(root, "updatePlacement", UpdatePlacement::valueOf);
        JsonNode rank = required(root, "rankLoss");
        RankLoss rankLoss = RankLoss.lambda(number(rank, "lambda")).partialK(number(rank, "partialK"))
                .mode(enumValue(rank, "mode", RankLossMode::valueOf))
                .rankEvery(required(rank, "rankEvery").asInt())
                .layers(enumValue(rank, "layers", RankLayers::valueOf))
                .minLayerSparsity(number(rank, "minLayerSparsity"));
        return PruningConfig.builder(number(root, "targetSparsity"), required(root, "totalIterations").asLong())
                .deltaT(required(root, "deltaT").asInt())
                .rampEndFraction(number(root, "rampEndFraction"))
                .updateEndFraction(number(root, "updateEndFraction"))
                .updatePlacement(placement)
                .schedule(enumValue(root, "schedule", ScheduleKind::valueOf))
                .budget(enumValue(root, "budget", LayerBudget::valueOf))
                .regrowth(enumValue(root, "regrowth", RegrowthKind::valueOf))
                .alpha(number(root, "alpha"))
                .rankLoss(rankLoss)
                .layers(readLayers(required(root, "layers")))
                .unsupportedLayers(enumValue(root, "unsupportedLayers", UnsupportedLayerPolicy::valueOf))
                .seed(required(root, "seed").asLong())
                .build();
    }

    private static LayerSelection readLayers(JsonNode node) {
        LayerSelection selection = LayerSelection.all();
        for (JsonNode m : required(node, "include")) {
            selection = selection.include(matcher(m));
        }
        for (JsonNode m : required(node, "exclude")) {
            selection = selection.exclude(matcher(m));
        }
        for (JsonNode cap : required(node, "maxSparsity")) {
            selection = selection.maxSparsity(required(cap, "nameRegex").asText(), number(cap, "maxSparsity"));
        }
        return selection;
    }

    private static void writeMatchers(ArrayNode array, Iterable<LayerMatcher> matchers) {
        for (LayerMatcher m : matchers) {
            array.addObject().put("by", m.by().name()).put("pattern", m.pattern());
        }
    }

    private static LayerMatcher matcher(JsonNode node) {
        return new LayerMatcher(enumValue(node, "by", LayerMatcher.By::valueOf), required(node, "pattern").asText());
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("json field '" + field + "' is missing");
        }
        return value;
    }

    private static double number(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.isNumber()) {
            throw new IllegalArgumentException("json field '" + field + "' must be a number, got " + value);
        }
        return value.asDouble();
    }

    private static <E extends Enum<E>> E enumValue(JsonNode node, String field, Function<String, E> parse) {
        String text = required(node, field).asText();
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("json field '" + field + "' has an unknown value '" + text + "'", e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
