package org.rpg4j.benchmarks.report;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** The results of one or more JMH runs ({@code -rf json}), with scores converted to milliseconds. */
public final class JmhResults {

    /**
     * One benchmark result.
     *
     * @param benchmark the short name {@code Class.method}
     * @param params the {@code @Param} values
     * @param millis the score in ms per operation
     * @param errorMillis the 99.9 % confidence half-width in ms (NaN when JMH gives none)
     * @param samples the number of measurement iterations
     */
    public record Result(String benchmark, Map<String, String> params, double millis, double errorMillis,
                         int samples) {
    }

    private final List<Result> results;

    private JmhResults(List<Result> results) {
        this.results = List.copyOf(results);
    }

    /**
     * @param files JMH JSON result files; missing files are skipped
     * @return their results, in file order
     * @throws IOException if a file exists but cannot be read or parsed
     */
    public static JmhResults read(List<File> files) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<Result> results = new ArrayList<>();
        for (File file : files) {
            if (!file.isFile()) {
                continue;
            }
            for (JsonNode run : mapper.readTree(file)) {
                String full = run.get("benchmark").asText();
                String[] parts = full.split("\\.");
                String name = parts[parts.length - 2] + "." + parts[parts.length - 1];
                Map<String, String> params = new TreeMap<>();
                JsonNode p = run.get("params");
                if (p != null) {
                    p.fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
                }
                JsonNode metric = run.get("primaryMetric");
                double scale = toMillis(metric.get("scoreUnit").asText());
                double error = metric.get("scoreError").asDouble(Double.NaN);
                results.add(new Result(name, params, metric.get("score").asDouble() * scale, error * scale,
                        run.get("measurementIterations").asInt()));
            }
        }
        return new JmhResults(results);
    }

    /** @return all results */
    public List<Result> all() {
        return results;
    }

    /**
     * @param benchmark {@code Class.method}
     * @param params {@code key, value, key, value, ...} that must all match
     * @return the last matching result (a later run overrides an earlier one)
     */
    public Optional<Result> find(String benchmark, String... params) {
        Result found = null;
        for (Result r : results) {
            if (r.benchmark().equals(benchmark) && matches(r.params(), params)) {
                found = r;
            }
        }
        return Optional.ofNullable(found);
    }

    private static boolean matches(Map<String, String> actual, String[] wanted) {
        for (int i = 0; i + 1 < wanted.length; i += 2) {
            if (!wanted[i + 1].equals(actual.get(wanted[i]))) {
                return false;
            }
        }
        return true;
    }

    private static double toMillis(String unit) {
        return switch (unit) {
            case "s/op" -> 1e3;
            case "ms/op" -> 1.0;
            case "us/op" -> 1e-3;
            case "ns/op" -> 1e-6;
            default -> throw new IllegalArgumentException("unsupported JMH score unit " + unit
                    + ": use AverageTime or SingleShotTime");
        };
    }
}
