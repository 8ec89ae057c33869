package org.rpg4j.benchmarks.report;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.rpg4j.benchmarks.report.JmhResults.Result;

/**
 * Prints one line per performance target of issue 6 (measured value, target, PASS/FAIL), from the
 * JMH results of one run of {@code benchmarks/run.sh}, so that both sides of every ratio come from
 * the same run. A target whose inputs are missing is printed as {@code NOT MEASURED} with the reason.
 *
 * <p>Arguments: {@code result.json [result.json ...]}. Exit status 0 if every measured target passes.
 */
public final class Targets {

    /** Iterations between topology updates (the rank gradient runs once per update). */
    static final int DELTA_T = 100;
    static final String[][] CIFAR_MODELS = {{"RESNET20", "ResNet-20"}, {"RESNET32X2", "ResNet-32x2"},
            {"VGG19", "VGG-19"}};

    private final JmhResults results;
    private final List<String> lines = new ArrayList<>();
    private boolean allPass = true;

    private Targets(JmhResults results) {
        this.results = results;
    }

    public static void main(String[] args) throws IOException {
        List<File> files = new ArrayList<>();
        for (String a : args) {
            files.add(new File(a));
        }
        Targets t = new Targets(JmhResults.read(files));
        t.rankOverhead();
        t.maskEnforcement();
        t.topologyUpdate();
        t.lines.forEach(System.out::println);
        System.exit(t.allPass ? 0 : 1);
    }

    private void rankOverhead() {
        for (String[] model : CIFAR_MODELS) {
            Optional<Result> rank = results.find("ModelRankGradientBenchmark.rankStep", "model", model[0]);
            for (String layers : new String[] {"FAST", "STANDARD"}) {
                Optional<Result> iteration = iteration(model[0], layers);
                String name = "rank-loss overhead at deltaT=100, " + model[1] + ", " + layers.toLowerCase(Locale.ROOT)
                        + " layers";
                if (rank.isEmpty() || iteration.isEmpty()) {
                    missing(name, rank.isEmpty() ? "ModelRankGradientBenchmark " + model[0]
                            : "TrainingIterationBenchmark " + model[0] + " " + layers);
                    continue;
                }
                double percent = 100.0 * rank.get().millis() / (DELTA_T * iteration.get().millis());
                String detail = String.format(Locale.ROOT, "(%s ms / (100 x %s ms))", SvdPlot.format(
                        rank.get().millis()), SvdPlot.format(iteration.get().millis()));
                // the target is set against the fast layers; against DL4J's standard layers it is reported only
                ratio(name, percent, 0.5, detail, layers.equals("FAST"));
            }
        }
        results.find("ModelRankGradientBenchmark.rankStep", "model", "RESNET50").ifPresentOrElse(
                r -> lines.add(String.format(Locale.ROOT, "%-62s %12s %14s %s", "rank-loss gradient, ResNet-50 shapes"
                        + " (53 convs), absolute", SvdPlot.format(r.millis()) + " ms", "(no target)", "INFO")),
                () -> missing("rank-loss gradient, ResNet-50 shapes", "ModelRankGradientBenchmark RESNET50"));
    }

    private void maskEnforcement() {
        String name = "mask enforcement per iteration, ResNet-20 batch 128";
        Optional<Result> mask = results.find("MaskEnforcementBenchmark.enforce");
        Optional<Result> iteration = iteration("RESNET20", "FAST");
        if (mask.isEmpty() || iteration.isEmpty()) {
            missing(name, mask.isEmpty() ? "MaskEnforcementBenchmark (needs the DL4J adapter)"
                    : "TrainingIterationBenchmark RESNET20 FAST (needs the fast layers)");
            return;
        }
        ratio(name, 100.0 * mask.get().millis() / iteration.get().millis(), 3.0,
                String.format(Locale.ROOT, "(%s ms / %s ms)", SvdPlot.format(mask.get().millis()),
                        SvdPlot.format(iteration.get().millis())), true);
        results.find("TrainingIterationBenchmark.fit", "model", "RESNET20", "layers", "FAST", "pruning", "RPG")
                .ifPresent(attached -> ratio("cross-check: ResNet-20 iteration with rpg4j attached, extra time",
                        100.0 * (attached.millis() - iteration.get().millis()) / iteration.get().millis(), 3.0,
                        String.format(Locale.ROOT, "(%s ms vs %s ms; noise about +-5 %%)",
                                SvdPlot.format(attached.millis()), SvdPlot.format(iteration.get().millis())), false));
    }

    private void topologyUpdate() {
        absolute("topology update, 25.5M weights, TopologyUpdate.apply",
                results.find("TopologyUpdateBenchmark.apply", "model", "RESNET50"), 1000.0);
        absolute("topology update, 25.5M weights, Pruner.updateTopology",
                results.find("PrunerUpdateBenchmark.updateTopology", "model", "RESNET50"), 1000.0);
        Optional<Result> iteration = iteration("RESNET20", "FAST");
        for (String[] entry : new String[][] {{"TopologyUpdateBenchmark.apply", "TopologyUpdate.apply"},
                {"PrunerUpdateBenchmark.updateTopology", "Pruner.updateTopology"}}) {
            String name = "topology update, ResNet-20, " + entry[1] + ", of an iteration";
            Optional<Result> update = results.find(entry[0], "model", "RESNET20");
            if (update.isEmpty() || iteration.isEmpty()) {
                missing(name, update.isEmpty() ? entry[0] + " RESNET20"
                        : "TrainingIterationBenchmark RESNET20 FAST (needs the fast layers)");
                continue;
            }
            ratio(name, 100.0 * update.get().millis() / iteration.get().millis(), 5.0,
                    String.format(Locale.ROOT, "(%s ms / %s ms)", SvdPlot.format(update.get().millis()),
                            SvdPlot.format(iteration.get().millis())), true);
        }
    }

    private Optional<Result> iteration(String model, String layers) {
        return results.find("TrainingIterationBenchmark.fit", "model", model, "layers", layers, "pruning", "NONE");
    }

    private void ratio(String name, double percent, double limitPercent, String detail, boolean isTarget) {
        boolean pass = percent < limitPercent;
        if (isTarget) {
            allPass &= pass;
        }
        lines.add(String.format(Locale.ROOT, "%-62s %12s %14s %s %s", name, String.format(Locale.ROOT, "%.3f %%",
                percent), String.format(Locale.ROOT, "< %s %%", trim(limitPercent)),
                isTarget ? (pass ? "PASS" : "FAIL") : "INFO", detail));
    }

    private void absolute(String name, Optional<Result> result, double limitMillis) {
        if (result.isEmpty()) {
            missing(name, name.substring(name.lastIndexOf(',') + 2) + " RESNET50");
            return;
        }
        double ms = result.get().millis();
        boolean pass = ms < limitMillis;
        allPass &= pass;
        lines.add(String.format(Locale.ROOT, "%-62s %12s %14s %s", name, SvdPlot.format(ms) + " ms",
                "< " + trim(limitMillis / 1000) + " s", pass ? "PASS" : "FAIL"));
    }

    private void missing(String name, String needs) {
        lines.add(String.format(Locale.ROOT, "%-62s %12s %14s %s", name, "-", "", "NOT MEASURED (no result of "
                + needs + " in this run)"));
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
