package org.rpg4j.examples.study;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The study's PNG plots of one model, drawn with XChart (headless): test accuracy and mean
 * delta-rank against sparsity per method (error bars: sample standard deviation over seeds; dense
 * training as a flat line), and per layer at the highest sparsity the delta-rank as a fraction of
 * full rank and the all-zero rows and columns.
 */
final class StudyPlots {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private StudyPlots() {}

    /**
     * Writes {@code <model>-accuracy.png}, {@code <model>-rank.png}, {@code <model>-layer-rank.png}
     * and {@code <model>-zero-rows-columns.png} into {@code dir}.
     *
     * @param dir output directory
     * @param model model name
     * @param runs the model's finished runs (at least one)
     * @throws IOException if a file cannot be written
     */
    static void write(Path dir, String model, List<RunResult> runs) throws IOException {
        String data = runs.get(0).dataset();
        Map<String, Map<Double, List<RunResult>>> groups = StudyReport.groups(runs);
        against(groups, "Test accuracy after the last epoch: " + model + " on " + data, "test accuracy",
                RunResult::testAccuracy, dir.resolve(model + "-accuracy.png"));
        against(groups, "Mean delta-rank of the prunable layers: " + model + " on " + data, "mean delta-rank",
                RunResult::meanDeltaRank, dir.resolve(model + "-rank.png"));
        double highest = runs.stream().mapToDouble(RunResult::targetSparsity).max().orElse(0.0);
        perLayer(groups, highest, model, data, dir);
    }

    private static void against(Map<String, Map<Double, List<RunResult>>> groups, String title, String yTitle,
                                ToDoubleFunction<RunResult> metric, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("target sparsity (%)").yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW).setMarkerSize(8);
        List<Double> allSparsities = groups.values().stream().flatMap(g -> g.keySet().stream()).filter(s -> s > 0)
                .distinct().sorted().toList();
        for (Map.Entry<String, Map<Double, List<RunResult>>> method : groups.entrySet()) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            List<Double> error = new ArrayList<>();
            for (Map.Entry<Double, List<RunResult>> g : method.getValue().entrySet()) {
                Spread s = StudyReport.spread(g.getValue(), metric);
                if (method.getKey().equals("dense")) {
                    for (double sparsity : allSparsities) {
                        x.add(100 * sparsity);
                        y.add(s.mean());
                        error.add(0.0);
                    }
                } else {
                    x.add(100 * g.getKey());
                    y.add(s.mean());
                    error.add(s.std());
                }
            }
            if (!x.isEmpty()) {
                chart.addSeries(method.getKey(), x, y, error)
                        .setMarker(method.getKey().equals("dense") ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            }
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void perLayer(Map<String, Map<Double, List<RunResult>>> groups, double sparsity, String model,
                                 String data, Path dir) throws IOException {
        String at = StudyPlan.percent(sparsity) + " %";
        CategoryChart rank = layerChart("Per-layer delta-rank / full rank at " + at + ": " + model + " on " + data,
                "delta-rank / full rank");
        CategoryChart zeros = layerChart("All-zero rows + columns per layer at " + at + ": " + model + " on " + data,
                "zero rows + zero columns (mean over seeds)");
        for (Map.Entry<String, Map<Double, List<RunResult>>> method : groups.entrySet()) {
            List<RunResult> runs = method.getValue().get(method.getKey().equals("dense") ? 0.0 : sparsity);
            if (runs == null) {
                continue;
            }
            List<String> names = new ArrayList<>();
            List<Double> fraction = new ArrayList<>();
            List<Double> zeroCount = new ArrayList<>();
            for (int i = 0; i < runs.get(0).layers().size(); i++) {
                int index = i;
                RunResult.Layer l = runs.get(0).layers().get(i);
                names.add(l.name());
                fraction.add(StudyReport.spread(runs, r -> (double) r.layers().get(index).deltaRank()
                        / Math.max(1, r.layers().get(index).fullRank())).mean());
                zeroCount.add(StudyReport.spread(runs, r -> r.layers().get(index).zeroRows()
                        + r.layers().get(index).zeroColumns()).mean());
            }
            rank.addSeries(method.getKey(), names, fraction);
            zeros.addSeries(method.getKey(), names, zeroCount);
        }
        rank.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        BitmapEncoder.saveBitmap(rank, dir.resolve(model + "-layer-rank.png").toString(),
                BitmapEncoder.BitmapFormat.PNG);
        BitmapEncoder.saveBitmap(zeros, dir.resolve(model + "-zero-rows-columns.png").toString(),
                BitmapEncoder.BitmapFormat.PNG);
    }

    private static CategoryChart layerChart(String title, String yTitle) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH + 200).height(HEIGHT).title(title)
                .xAxisTitle("layer").yAxisTitle(yTitle).build();
        chart.getStyler().setXAxisLabelRotation(60).setLegendPosition(Styler.LegendPosition.OutsideE);
        return chart;
    }
}
