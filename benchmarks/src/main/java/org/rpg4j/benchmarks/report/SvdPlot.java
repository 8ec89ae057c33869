package org.rpg4j.benchmarks.report;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Plots {@code SvdBenchmark} results: time per decomposition against matrix size ({@code rows x
 * cols} elements), one series per method, log-log, as a PNG; and prints the same numbers as a
 * Markdown table (shapes as rows, methods as columns).
 *
 * <p>Arguments: {@code output.png result.json [result.json ...]}.
 */
public final class SvdPlot {

    private SvdPlot() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: SvdPlot output.png result.json [result.json ...]");
        }
        List<File> files = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            files.add(new File(args[i]));
        }
        JmhResults results = JmhResults.read(files);
        // method -> shape -> ms
        Map<String, Map<String, Double>> byMethod = new TreeMap<>();
        for (JmhResults.Result r : results.all()) {
            if (r.benchmark().equals("SvdBenchmark.decompose")) {
                byMethod.computeIfAbsent(r.params().get("method"), m -> new TreeMap<>(BY_SIZE))
                        .put(r.params().get("shape"), r.millis());
            }
        }
        if (byMethod.isEmpty()) {
            throw new IllegalArgumentException("no SvdBenchmark.decompose results in " + files);
        }
        XYChart chart = new XYChartBuilder().width(1000).height(650)
                .title("Decomposition for the rank loss, float32 conv matrices (2 cores)")
                .xAxisTitle("matrix size rows x cols (elements)").yAxisTitle("time per decomposition (ms)").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        for (Map.Entry<String, Map<String, Double>> e : byMethod.entrySet()) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            e.getValue().forEach((shape, ms) -> {
                x.add((double) elements(shape));
                y.add(ms);
            });
            XYSeries series = chart.addSeries(e.getKey(), x, y);
            series.setMarker(SeriesMarkers.CIRCLE);
        }
        BitmapEncoder.saveBitmap(chart, args[0], BitmapEncoder.BitmapFormat.PNG);
        printTable(byMethod);
    }

    private static void printTable(Map<String, Map<String, Double>> byMethod) {
        java.util.SortedSet<String> shapes = new java.util.TreeSet<>(BY_SIZE);
        byMethod.values().forEach(m -> shapes.addAll(m.keySet()));
        StringBuilder header = new StringBuilder("| shape |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String method : byMethod.keySet()) {
            header.append(' ').append(method).append(" |");
            rule.append("---:|");
        }
        System.out.println(header);
        System.out.println(rule);
        for (String shape : shapes) {
            StringBuilder row = new StringBuilder("| " + shape + " |");
            for (Map<String, Double> m : byMethod.values()) {
                Double ms = m.get(shape);
                row.append(' ').append(ms == null ? "–" : format(ms)).append(" |");
            }
            System.out.println(row);
        }
    }

    static String format(double ms) {
        return ms >= 100 ? String.format(Locale.ROOT, "%.0f", ms)
                : ms >= 10 ? String.format(Locale.ROOT, "%.1f", ms) : String.format(Locale.ROOT, "%.2f", ms);
    }

    private static long elements(String shape) {
        String[] p = shape.split("x");
        return Long.parseLong(p[0]) * Long.parseLong(p[1]);
    }

    private static final Comparator<String> BY_SIZE = Comparator.comparingLong(SvdPlot::elements)
            .thenComparing(Comparator.naturalOrder());
}
