package org.rpg4j.benchmarks.structured;

import java.io.File;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.rpg4j.benchmarks.report.JmhResults;
import org.rpg4j.dl4j.structured.StructuredReport;

/**
 * Prints the issue-14 table from one {@link ShrunkInferenceBenchmark} JSON result: per model, batch,
 * channel multiple, fraction removed and {@link InferencePath}, the MAC ratio (dense / shrunk, recomputed
 * from the same pruning), the measured speed-up (dense time / shrunk time along the same path, both from
 * this run) and whether the speed-up reaches 0.7 x the MAC ratio. The {@code FOLDED} rows are the fair
 * comparison of the inference transform (applied to both networks); the column after it gives the shrunk
 * network against the dense network as it is (what a deployment gains in all). The last three columns divide by
 * the fastest dense path of the run instead, and judge the goal on that: a path whose dense network is slow (the
 * deployment runner's dense networks at batch 64 were 1.3-1.9x slower than the folded DL4J ones in session 12)
 * would otherwise flatter its own ratio.
 *
 * <pre>java -cp benchmarks.jar org.rpg4j.benchmarks.structured.ShrunkInferenceTable structured.json</pre>
 */
public final class ShrunkInferenceTable {
    /** The goal: speed-up at least this fraction of the MAC reduction. */
    static final double GOAL = 0.7;
    private static final String BENCHMARK = "ShrunkInferenceBenchmark.inference";
    private static final Map<String, Double> MAC_RATIOS = new HashMap<>();

    private ShrunkInferenceTable() {}

    /**
     * @param args one or more JMH JSON files of {@link ShrunkInferenceBenchmark}
     * @throws IOException if a file cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            throw new IllegalArgumentException("give the JMH JSON file(s) of ShrunkInferenceBenchmark");
        }
        JmhResults results = JmhResults.read(List.of(args).stream().map(File::new).toList());
        System.out.println(
                "| model | batch | multiple | removed | path | MACs ratio | dense ms | shrunk ms | speed-up | "
                        + "speed-up / MAC ratio | goal >= 0.7 | shrunk vs dense AS_IS | fastest dense (path) | "
                        + "speed-up / MAC ratio against it | goal against it |");
        System.out.println("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---|---:|---|---:|---|");
        for (String model : List.of("RESNET56", "VGG19")) {
            for (String batch : List.of("1", "64")) {
                for (String multiple : List.of("1", "8")) {
                    for (String removed : List.of("0.5", "0.7")) {
                        for (InferencePath path : InferencePath.values()) {
                            row(results, model, batch, multiple, removed, path.name());
                        }
                    }
                }
            }
        }
    }

    private static void row(JmhResults results, String model, String batch, String multiple, String removed,
                            String path) {
        Optional<JmhResults.Result> dense = find(results, model, batch, "0", "1", path);
        Optional<JmhResults.Result> shrunk = find(results, model, batch, removed, multiple, path);
        Optional<JmhResults.Result> denseAsIs = find(results, model, batch, "0", "1", InferencePath.AS_IS.name());
        if (dense.isEmpty() || shrunk.isEmpty()) {
            return;
        }
        double macRatio = MAC_RATIOS.computeIfAbsent(model + "/" + removed + "/" + multiple, key -> {
            StructuredReport report = ShrunkModels.prune(model, Double.parseDouble(removed), Integer.parseInt(
                    multiple)).report();
            return (double) report.macsBefore() / report.macsAfter();
        });
        double speedUp = dense.get().millis() / shrunk.get().millis();
        String overall = denseAsIs.map(d -> String.format(Locale.ROOT, "%.2fx", d.millis() / shrunk.get().millis()))
                .orElse("");
        InferencePath fastest = InferencePath.AS_IS;
        double fastestMillis = Double.POSITIVE_INFINITY;
        for (InferencePath p : InferencePath.values()) {
            Optional<JmhResults.Result> d = find(results, model, batch, "0", "1", p.name());
            if (d.isPresent() && d.get().millis() < fastestMillis) {
                fastest = p;
                fastestMillis = d.get().millis();
            }
        }
        double againstFastest = fastestMillis / shrunk.get().millis() / macRatio;
        System.out.printf(Locale.ROOT,
                "| %s | %s | %s | %s | %s | %.2fx | %.2f | %.2f | %.2fx | %.2f | %s | %s | %.2f (%s)"
                        + " | %.2f | %s |%n", model, batch, multiple, removed, path, macRatio, dense.get().millis(),
                shrunk.get().millis(), speedUp, speedUp / macRatio, speedUp >= GOAL * macRatio ? "PASS" : "FAIL",
                overall, fastestMillis, fastest, againstFastest, againstFastest >= GOAL ? "PASS" : "FAIL");
    }

    private static Optional<JmhResults.Result> find(JmhResults results, String model, String batch, String removed,
                                                    String multiple, String path) {
        return results.find(BENCHMARK, "model", model, "batch", batch, "removed", removed, "channelMultiple", multiple,
                "path", path);
    }
}
