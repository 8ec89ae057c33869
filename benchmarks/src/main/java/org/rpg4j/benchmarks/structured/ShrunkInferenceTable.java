package org.rpg4j.benchmarks.structured;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.rpg4j.benchmarks.report.JmhResults;
import org.rpg4j.dl4j.structured.StructuredReport;

/**
 * Prints the issue-14 table from one {@link ShrunkInferenceBenchmark} JSON result: per model, batch,
 * channel multiple and fraction removed, the MAC ratio (dense / shrunk, recomputed from the same
 * pruning), the measured speed-up (dense time / shrunk time, both from this run) and whether the
 * speed-up reaches 0.7 x the MAC ratio.
 *
 * <pre>java -cp benchmarks.jar org.rpg4j.benchmarks.structured.ShrunkInferenceTable structured.json</pre>
 */
public final class ShrunkInferenceTable {
    /** The goal: speed-up at least this fraction of the MAC reduction. */
    static final double GOAL = 0.7;
    private static final String BENCHMARK = "ShrunkInferenceBenchmark.inference";

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
        System.out.println("| model | batch | multiple | removed | MACs ratio | dense ms | shrunk ms | speed-up | "
                + "speed-up / MAC ratio | goal >= 0.7 |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (String model : List.of("RESNET56", "VGG19")) {
            for (String batch : List.of("1", "64")) {
                for (String multiple : List.of("1", "8")) {
                    for (String removed : List.of("0.5", "0.7")) {
                        row(results, model, batch, multiple, removed);
                    }
                }
            }
        }
    }

    private static void row(JmhResults results, String model, String batch, String multiple, String removed) {
        Optional<JmhResults.Result> dense = results.find(BENCHMARK, "model", model, "batch", batch, "removed", "0",
                "channelMultiple", "1");
        Optional<JmhResults.Result> shrunk = results.find(BENCHMARK, "model", model, "batch", batch, "removed",
                removed, "channelMultiple", multiple);
        if (dense.isEmpty() || shrunk.isEmpty()) {
            return;
        }
        StructuredReport report = ShrunkModels.prune(model, Double.parseDouble(removed), Integer.parseInt(multiple))
                .report();
        double macRatio = (double) report.macsBefore() / report.macsAfter();
        double speedUp = dense.get().millis() / shrunk.get().millis();
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %.2fx | %.2f | %.2f | %.2fx | %.2f | %s |%n", model,
                batch, multiple, removed, macRatio, dense.get().millis(), shrunk.get().millis(), speedUp,
                speedUp / macRatio, speedUp >= GOAL * macRatio ? "PASS" : "FAIL");
    }
}
