package org.rpg4j.examples.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.rpg4j.examples.train.Method;

/**
 * Turns the finished runs of a study into {@code runs.csv} (one row per run), {@code
 * layers.csv} (one row per run and layer), {@code summary.csv} (mean and spread per model, method
 * and sparsity), {@code summary.md} (the same as Markdown tables, per model) and the plots of
 * {@link StudyPlots}.
 */
public final class StudyReport {
    private final List<RunResult> results;
    private final List<String> missing;

    /**
     * @param results the finished runs, in plan order
     * @param missing ids of the planned runs without results (not run yet, or failed)
     */
    public StudyReport(List<RunResult> results, List<String> missing) {
        this.results = List.copyOf(results);
        this.missing = List.copyOf(missing);
    }

    /**
     * Reads every finished run of the plan.
     *
     * @param runner where the runs are
     * @param runs the planned runs
     * @return the report of those that finished
     * @throws IOException if a {@code results.json} cannot be read
     */
    public static StudyReport load(StudyRunner runner, List<StudyRun> runs) throws IOException {
        List<RunResult> results = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (StudyRun run : runs) {
            if (runner.finished(run)) {
                results.add(RunResult.read(run.id(), runner.directory(run).resolve("results.json")));
            } else {
                missing.add(run.id());
            }
        }
        return new StudyReport(results, missing);
    }

    /** @return the finished runs */
    public List<RunResult> results() {
        return results;
    }

    /**
     * Writes the CSV files, {@code summary.md} and the plots into {@code dir}.
     *
     * @param dir the study's output directory
     * @param commandLine how the study was started, for {@code summary.md}
     * @throws IOException if a file cannot be written
     */
    public void write(Path dir, String commandLine) throws IOException {
        Files.createDirectories(dir);
        writeRuns(dir.resolve("runs.csv"));
        writeLayers(dir.resolve("layers.csv"));
        writeSummaryCsv(dir.resolve("summary.csv"));
        Files.writeString(dir.resolve("summary.md"), markdown(commandLine));
        for (String model : models()) {
            StudyPlots.write(dir, model, of(model));
        }
    }

    /** @return the model names in plan order */
    List<String> models() {
        Set<String> models = new LinkedHashSet<>();
        results.forEach(r -> models.add(r.model()));
        return new ArrayList<>(models);
    }

    /** @return the finished runs of {@code model} */
    List<RunResult> of(String model) {
        return results.stream().filter(r -> r.model().equals(model)).toList();
    }

    /**
     * @param runs runs of one model
     * @return runs grouped by method and target sparsity, methods in study order, sparsities ascending
     */
    static Map<String, Map<Double, List<RunResult>>> groups(List<RunResult> runs) {
        Map<String, Map<Double, List<RunResult>>> groups = new LinkedHashMap<>();
        for (Method m : StudyPlan.METHODS) {
            runs.stream().filter(r -> r.method().equals(m.cliName())).map(RunResult::targetSparsity).sorted()
                    .distinct().forEach(s -> groups.computeIfAbsent(m.cliName(), k -> new LinkedHashMap<>())
                            .put(s, runs.stream().filter(r -> r.method().equals(m.cliName())
                                    && r.targetSparsity() == s).toList()));
        }
        return groups;
    }

    /** @return the spread of {@code metric} over {@code runs} */
    static Spread spread(List<RunResult> runs, ToDoubleFunction<RunResult> metric) {
        return Spread.of(runs.stream().mapToDouble(metric).toArray());
    }

    private void writeRuns(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("id,model,dataset,method,target_sparsity,seed,test_accuracy,sparsity,mean_delta_rank,"
                + "mean_rank_fraction,zero_rows,zero_columns,iterations,wall_seconds");
        for (RunResult r : results) {
            lines.add(String.join(",", r.id(), r.model(), r.dataset(), r.method(), num(r.targetSparsity()),
                    Long.toString(r.seed()), num(r.testAccuracy()), num(r.sparsity()), num(r.meanDeltaRank()),
                    num(r.meanRankFraction()), Long.toString(r.zeroRows()), Long.toString(r.zeroColumns()),
                    Long.toString(r.iterations()), num(r.wallSeconds())));
        }
        Files.write(file, lines);
    }

    private void writeLayers(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("id,model,method,target_sparsity,seed,layer,rows,columns,parameters,sparsity,delta_rank,full_rank,"
                + "zero_rows,zero_columns");
        for (RunResult r : results) {
            for (RunResult.Layer l : r.layers()) {
                lines.add(String.join(",", r.id(), r.model(), r.method(), num(r.targetSparsity()),
                        Long.toString(r.seed()), l.name(), Long.toString(l.rows()), Long.toString(l.columns()),
                        Long.toString(l.parameters()), num(l.sparsity()), Integer.toString(l.deltaRank()),
                        Integer.toString(l.fullRank()), Long.toString(l.zeroRows()), Long.toString(l.zeroColumns())));
            }
        }
        Files.write(file, lines);
    }

    private void writeSummaryCsv(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("model,method,target_sparsity,runs,accuracy_mean,accuracy_std,accuracy_min,accuracy_max,"
                + "mean_delta_rank_mean,mean_delta_rank_std,mean_rank_fraction_mean,zero_rows_mean,zero_columns_mean,"
                + "wall_seconds_mean");
        for (String model : models()) {
            for (Map.Entry<String, Map<Double, List<RunResult>>> method : groups(of(model)).entrySet()) {
                for (Map.Entry<Double, List<RunResult>> g : method.getValue().entrySet()) {
                    List<RunResult> runs = g.getValue();
                    Spread acc = spread(runs, RunResult::testAccuracy);
                    Spread rank = spread(runs, RunResult::meanDeltaRank);
                    lines.add(String.join(",", model, method.getKey(), num(g.getKey()), Integer.toString(acc.n()),
                            num(acc.mean()), num(acc.std()), num(acc.min()), num(acc.max()), num(rank.mean()),
                            num(rank.std()), num(spread(runs, RunResult::meanRankFraction).mean()),
                            num(spread(runs, RunResult::zeroRows).mean()),
                            num(spread(runs, RunResult::zeroColumns).mean()),
                            num(spread(runs, RunResult::wallSeconds).mean())));
                }
            }
        }
        Files.write(file, lines);
    }

    /** @return the Markdown tables of every model */
    String markdown(String commandLine) {
        StringBuilder md = new StringBuilder();
        md.append("# Study summary\n\nGenerated by `").append(commandLine).append("` from ").append(results.size())
                .append(" finished runs").append(missing.isEmpty() ? "" : "; " + missing.size()
                        + " planned runs have no results: " + String.join(", ", missing)).append(".\n");
        if (results.stream().anyMatch(RunResult::synthetic)) {
            md.append("\n**Some runs trained on synthetic data: their accuracies say nothing about real data.**\n");
        }
        for (String model : models()) {
            List<RunResult> runs = of(model);
            Map<String, Map<Double, List<RunResult>>> groups = groups(runs);
            List<Double> sparsities = runs.stream().map(RunResult::targetSparsity).filter(s -> s > 0).distinct()
                    .sorted().toList();
            md.append("\n## ").append(model).append(" on ").append(runs.get(0).dataset()).append("\n");
            md.append("\nTest accuracy after the last epoch (mean ± sample standard deviation (seeds)):\n\n");
            table(md, groups, sparsities, r -> r.testAccuracy(), "%.4f");
            md.append("\nMean delta-rank of the prunable layers (delta 0.1):\n\n");
            table(md, groups, sparsities, RunResult::meanDeltaRank, "%.1f");
            md.append("\nAll-zero rows (output channels or units) summed over the layers:\n\n");
            table(md, groups, sparsities, r -> r.zeroRows(), "%.1f");
            md.append("\nAll-zero columns (input channel at one kernel position, or input unit) summed over the "
                    + "layers:\n\n");
            table(md, groups, sparsities, r -> r.zeroColumns(), "%.1f");
            md.append("\nWall time per run, seconds:\n\n");
            table(md, groups, sparsities, RunResult::wallSeconds, "%.0f");
            layerTable(md, groups, sparsities.isEmpty() ? 0.0 : sparsities.get(sparsities.size() - 1));
        }
        return md.toString();
    }

    private static void table(StringBuilder md, Map<String, Map<Double, List<RunResult>>> groups,
                              List<Double> sparsities, ToDoubleFunction<RunResult> metric, String pattern) {
        md.append("| method | dense |");
        sparsities.forEach(s -> md.append(' ').append(StudyPlan.percent(s)).append(" % |"));
        md.append("\n|---|---|");
        sparsities.forEach(s -> md.append("---|"));
        md.append('\n');
        for (Map.Entry<String, Map<Double, List<RunResult>>> method : groups.entrySet()) {
            md.append("| ").append(method.getKey()).append(" |");
            List<Double> columns = new ArrayList<>();
            columns.add(0.0);
            columns.addAll(sparsities);
            for (double s : columns) {
                List<RunResult> runs = method.getValue().get(s);
                md.append(' ').append(runs == null ? "" : spread(runs, metric).format(pattern)).append(" |");
            }
            md.append('\n');
        }
    }

    private static void layerTable(StringBuilder md, Map<String, Map<Double, List<RunResult>>> groups,
                                   double sparsity) {
        md.append("\nPer layer at ").append(StudyPlan.percent(sparsity)).append(" % (dense for comparison): "
                + "delta-rank / zero rows / zero columns, means over seeds:\n\n| layer | shape | full rank |");
        List<String> methods = new ArrayList<>();
        List<List<RunResult>> columns = new ArrayList<>();
        for (Map.Entry<String, Map<Double, List<RunResult>>> method : groups.entrySet()) {
            List<RunResult> runs = method.getValue().get(method.getKey().equals("dense") ? 0.0 : sparsity);
            if (runs != null) {
                methods.add(method.getKey());
                columns.add(runs);
            }
        }
        methods.forEach(m -> md.append(' ').append(m).append(" |"));
        md.append("\n|---|---|---|");
        methods.forEach(m -> md.append("---|"));
        md.append('\n');
        if (columns.isEmpty()) {
            return;
        }
        List<RunResult.Layer> reference = columns.get(0).get(0).layers();
        for (int i = 0; i < reference.size(); i++) {
            RunResult.Layer l = reference.get(i);
            md.append("| ").append(l.name()).append(" | ").append(l.rows()).append('x').append(l.columns())
                    .append(" | ").append(l.fullRank()).append(" |");
            int index = i;
            for (List<RunResult> runs : columns) {
                md.append(String.format(Locale.ROOT, " %.1f / %.1f / %.1f |",
                        spread(runs, r -> r.layers().get(index).deltaRank()).mean(),
                        spread(runs, r -> r.layers().get(index).zeroRows()).mean(),
                        spread(runs, r -> r.layers().get(index).zeroColumns()).mean()));
            }
            md.append('\n');
        }
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }
}
