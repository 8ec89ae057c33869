package org.rpg4j.benchmarks.sparse;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.rpg4j.benchmarks.report.JmhResults;

/**
 * Turns the JMH results of {@link LayerKernelBenchmark} and {@link NetworkInferenceBenchmark} of one
 * run into the markdown tables of docs/deployment.md: per layer shape and batch, the dense time, the
 * speed-up of the sparse kernel at each sparsity and the break-even sparsity (where a least-squares
 * line through the sparse times against density crosses the dense time); per network and batch,
 * images/s and the speed-up over DL4J, and the largest JMH 99.9 % error of the row as a share of its score (a
 * speed-up whose two errors add up to more than its distance from 1 is not established).
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.rpg4j.benchmarks.sparse.SparseReport <result.json>...}
 */
public final class SparseReport {

    private static final String[] SPARSITIES = {"S80", "S90", "S95", "S98", "S99"};
    private static final String[] RUNNERS = {"U0", "U90", "U95", "U98", "RPG95", "RPG98"};

    private SparseReport() {
    }

    /**
     * @param args JMH JSON result files of one run
     * @throws IOException if a file cannot be read
     */
    public static void main(String[] args) throws IOException {
        List<File> files = new ArrayList<>();
        for (String a : args) {
            files.add(new File(a));
        }
        JmhResults results = JmhResults.read(files);
        layers(results);
        networks(results);
    }

    private static void layers(JmhResults results) {
        Set<String> shapes = new LinkedHashSet<>();
        results.all().stream().filter(r -> r.benchmark().equals("LayerKernelBenchmark.forward"))
                .forEach(r -> shapes.add(r.params().get("shape")));
        if (shapes.isEmpty()) {
            return;
        }
        System.out.println(
                "| shape (in x size x out, stride) | batch | dense ms | x at 80 % | 90 % | 95 % | 98 % | 99 %"
                        + " | break-even sparsity |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (String shape : shapes) {
            for (String batch : new String[] {"1", "32"}) {
                Optional<JmhResults.Result> dense = results.find("LayerKernelBenchmark.forward", "shape", shape,
                        "batch", batch, "variant", "DENSE");
                if (dense.isEmpty()) {
                    continue;
                }
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %s | %s | %.3f |", shape, batch,
                        dense.get().millis()));
                List<double[]> points = new ArrayList<>();
                for (String s : SPARSITIES) {
                    Optional<JmhResults.Result> sparse = results.find("LayerKernelBenchmark.forward", "shape", shape,
                            "batch", batch, "variant", s);
                    if (sparse.isPresent()) {
                        double density = 1 - Integer.parseInt(s.substring(1)) / 100.0;
                        points.add(new double[] {density, sparse.get().millis()});
                        line.append(String.format(Locale.ROOT, " %.1f |", dense.get().millis() / sparse.get()
                                .millis()));
                    } else {
                        line.append(" - |");
                    }
                }
                line.append(' ').append(breakEven(points, dense.get().millis())).append(" |");
                System.out.println(line);
            }
        }
    }

    /** The sparsity where the fitted sparse time {@code a + b * density} equals the dense time. */
    static String breakEven(List<double[]> points, double denseMillis) {
        if (points.size() < 2) {
            return "-";
        }
        double mx = 0;
        double my = 0;
        for (double[] p : points) {
            mx += p[0] / points.size();
            my += p[1] / points.size();
        }
        double sxy = 0;
        double sxx = 0;
        for (double[] p : points) {
            sxy += (p[0] - mx) * (p[1] - my);
            sxx += (p[0] - mx) * (p[0] - mx);
        }
        double slope = sxy / sxx;
        double intercept = my - slope * mx;
        if (!(slope > 0)) {
            return "n/a (time not increasing with density)";
        }
        double density = (denseMillis - intercept) / slope;
        if (density <= 0) {
            return "never (sparse slower even when empty)";
        }
        if (density >= 1) {
            return "0 % (sparse faster even when dense; extrapolated)";
        }
        String note = density > 0.2 ? " (extrapolated)" : "";
        return String.format(Locale.ROOT, "%.0f %%%s", 100 * (1 - density), note);
    }

    private static void networks(JmhResults results) {
        if (results.all().stream().noneMatch(r -> r.benchmark().equals("NetworkInferenceBenchmark.inference"))) {
            return;
        }
        System.out.println();
        System.out.println("| network | batch | DL4J fast layers img/s | runner img/s dense | uniform 90 % |"
                + " uniform 95 % | uniform 98 % | RPG 95 % | RPG 98 % | speed-up dense | uniform 90 % | uniform 95 % |"
                + " uniform 98 % | RPG 95 % | RPG 98 % | largest JMH error |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (String model : new String[] {"VGG19", "RESNET56"}) {
            for (String batch : new String[] {"1", "32"}) {
                Optional<JmhResults.Result> dl4j = results.find("NetworkInferenceBenchmark.inference", "model", model,
                        "batch", batch, "variant", "DL4J");
                if (dl4j.isEmpty()) {
                    continue;
                }
                double images = Integer.parseInt(batch);
                StringBuilder rates = new StringBuilder();
                StringBuilder ratios = new StringBuilder();
                double largestError = relativeError(dl4j.get());
                for (String r : RUNNERS) {
                    Optional<JmhResults.Result> run = runner(results, model, batch, r, "KERNELS_AND_POOLING");
                    largestError = Math.max(largestError, run.map(SparseReport::relativeError).orElse(0.0));
                    rates.append(run.map(x -> String.format(Locale.ROOT, " %.2f |", 1000 * images / x.millis()))
                            .orElse(" - |"));
                    ratios.append(run.map(x -> String.format(Locale.ROOT, " %.2fx |", dl4j.get().millis() / x.millis()))
                            .orElse(" - |"));
                }
                System.out.println(String.format(Locale.ROOT, "| %s | %s | %.2f |", model, batch,
                        1000 * images / dl4j.get().millis()) + rates + ratios + String.format(Locale.ROOT, " %.0f %% |",
                                100 * largestError));
            }
        }
        coverages(results);
        nativeThreadings(results);
    }

    /**
     * The runner with its native ops on OpenMP's threads against split over its own threads, where one run
     * measured both, with JMH's 99.9 % error of each.
     */
    private static void nativeThreadings(JmhResults results) {
        List<String> lines = new ArrayList<>();
        for (JmhResults.Result openMp : results.all()) {
            Map<String, String> p = openMp.params();
            if (!openMp.benchmark().equals("NetworkInferenceBenchmark.inference")
                    || !"OPENMP".equals(p.get("withNativeThreading")) || "DL4J".equals(p.get("variant"))) {
                continue;
            }
            results.find("NetworkInferenceBenchmark.inference", "model", p.get("model"), "batch", p.get("batch"),
                    "variant", p.get("variant"), "withCoverage", p.get("withCoverage"), "withNativeThreading",
                    "JAVA_THREADS").ifPresent(own -> lines.add(String.format(Locale.ROOT,
                            "| %s | %s | %s | %.2f +- %.2f | %.2f +- %.2f | %.2fx |", p.get("model"), p.get("batch"),
                            p.get("variant"), openMp.millis(), openMp.errorMillis(), own.millis(), own.errorMillis(),
                            openMp.millis() / own.millis())));
        }
        if (lines.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.println("| network | batch | variant | native ops on OpenMP threads ms | split over Java threads ms"
                + " | speed-up |");
        System.out.println("|---|---|---|---|---|---|");
        lines.forEach(System.out::println);
    }

    /** @return JMH's 99.9 % error as a fraction of the score (0 when JMH gave none) */
    private static double relativeError(JmhResults.Result result) {
        double error = result.errorMillis() / result.millis();
        return Double.isNaN(error) ? 0.0 : error;
    }

    /**
     * @return the runner result of that coverage with the default native threading (JAVA_THREADS), or (results
     *     made before a parameter existed) any
     */
    private static Optional<JmhResults.Result> runner(JmhResults results, String model, String batch, String variant,
                                                      String coverage) {
        Optional<JmhResults.Result> exact = results.find("NetworkInferenceBenchmark.inference", "model", model,
                "batch", batch, "variant", variant, "withCoverage", coverage, "withNativeThreading", "JAVA_THREADS");
        if (exact.isEmpty()) {
            exact = results.find("NetworkInferenceBenchmark.inference", "model", model, "batch", batch, "variant",
                    variant, "withCoverage", coverage);
        }
        return exact.isPresent() ? exact : results.find("NetworkInferenceBenchmark.inference", "model", model,
                "batch", batch, "variant", variant);
    }

    /** Pooling through DL4J (KERNELS) against pooling on Java arrays, where one run measured both. */
    private static void coverages(JmhResults results) {
        List<String> lines = new ArrayList<>();
        for (JmhResults.Result old : results.all()) {
            if (!old.benchmark().equals("NetworkInferenceBenchmark.inference")
                    || !"KERNELS".equals(old.params().get("withCoverage")) || "DL4J".equals(old.params().get(
                            "variant"))) {
                continue;
            }
            Map<String, String> p = old.params();
            results.find("NetworkInferenceBenchmark.inference", "model", p.get("model"), "batch", p.get("batch"),
                    "variant", p.get("variant"), "withCoverage", "KERNELS_AND_POOLING").ifPresent(now -> lines.add(
                            String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %.2f | %.2fx |", p.get("model"),
                                    p.get("batch"), p.get("variant"), old.millis(), now.millis(), old.millis()
                                            / now.millis())));
        }
        if (lines.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.println(
                "| network | batch | variant | pooling via DL4J ms | pooling on Java arrays ms | speed-up |");
        System.out.println("|---|---|---|---|---|---|");
        lines.forEach(System.out::println);
    }
}
