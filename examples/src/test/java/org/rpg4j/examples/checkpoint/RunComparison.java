package org.rpg4j.examples.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/** Asserts that two runs ended in the same state: the same model zip content and the same metrics. */
final class RunComparison {
    /** Wall-clock fields, which differ between any two runs. */
    private static final List<String> TIMINGS = List.of("imagesPerSecond", "elapsedSeconds");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RunComparison() {}

    /**
     * Every entry of the two model zips byte for byte: configuration (with iteration and epoch
     * counters), coefficients (all weights, batch-norm statistics), updater state (momentum) and, for
     * pruned runs, rpg4j's configuration and state (masks, pruner counters and random state).
     */
    static void assertSameModel(Path expected, Path actual) throws IOException {
        try (ZipFile a = new ZipFile(expected.toFile()); ZipFile b = new ZipFile(actual.toFile())) {
            List<String> names = names(a);
            assertEquals(names, names(b), "entries of " + actual);
            for (String name : names) {
                assertArrayEquals(bytes(a, name), bytes(b, name), name + " of " + actual + " differs from " + expected);
            }
        }
    }

    /** The per-epoch metrics and progress points of two results.json files, timings left out. */
    static void assertSameMetrics(Path expected, Path actual) throws IOException {
        JsonNode a = MAPPER.readTree(expected.toFile());
        JsonNode b = MAPPER.readTree(actual.toFile());
        for (String list : List.of("epochs", "trace")) {
            assertEquals(withoutTimings(a.get(list)), withoutTimings(b.get(list)), list + " of " + actual);
        }
        assertEquals(a.get("summary").get("iterations"), b.get("summary").get("iterations"));
        assertEquals(a.get("finalLayers"), b.get("finalLayers"));
    }

    private static JsonNode withoutTimings(JsonNode list) {
        JsonNode copy = list.deepCopy();
        for (JsonNode entry : copy) {
            ((ObjectNode) entry).remove(TIMINGS);
        }
        return copy;
    }

    private static List<String> names(ZipFile zip) {
        List<String> names = new ArrayList<>();
        for (ZipEntry e : Collections.list(zip.entries())) {
            names.add(e.getName());
        }
        Collections.sort(names);
        return names;
    }

    private static byte[] bytes(ZipFile zip, String name) throws IOException {
        return zip.getInputStream(zip.getEntry(name)).readAllBytes();
    }
}
