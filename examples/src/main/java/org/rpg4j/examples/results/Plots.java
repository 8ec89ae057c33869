package org.rpg4j.examples.results;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.rpg4j.examples.train.EpochMetrics;
import org.rpg4j.examples.train.LayerStat;
import org.rpg4j.examples.train.TracePoint;

/**
 * The PNG plots of a run, drawn with XChart (headless): accuracy and sparsity over training,
 * per-layer delta-rank against full rank of the final model, and singular-value spectra of a few
 * layers. Every title carries the data set's name, so plots of synthetic data say so.
 */
public final class Plots {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {}

    /**
     * Test accuracy at the end of each epoch and sparsity at every progress line, over iterations.
     *
     * @param record the run
     * @param file PNG to write (replaced)
     * @throws IOException if it cannot be written
     */
    public static void accuracyAndSparsity(RunRecord record, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Accuracy and sparsity: " + record.title()).xAxisTitle("iteration").yAxisTitle("").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE).setMarkerSize(7);
        List<Long> traceX = new ArrayList<>();
        List<Double> sparsity = new ArrayList<>();
        traceX.add(0L);
        sparsity.add(0.0);
        for (TracePoint p : record.history().trace()) {
            traceX.add(p.iteration());
            sparsity.add(p.sparsity());
        }
        List<Long> epochX = new ArrayList<>();
        List<Double> accuracy = new ArrayList<>();
        for (EpochMetrics m : record.history().epochs()) {
            epochX.add(m.iteration());
            accuracy.add(m.testAccuracy());
        }
        XYSeries acc = chart.addSeries("test accuracy (end of epoch)", epochX, accuracy);
        acc.setMarker(SeriesMarkers.CIRCLE);
        XYSeries sp = chart.addSeries("sparsity of prunable weights", traceX, sparsity);
        sp.setMarker(SeriesMarkers.NONE);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Per prunable layer of the final model: density (fraction of weights kept) beside delta-rank as
     * a fraction of full rank. Magnitude pruning at high sparsity lets the rank fall with the
     * density; RPG keeps it up.
     *
     * @param title title suffix (the run's title)
     * @param layers per-layer statistics with delta-ranks
     * @param file PNG to write (replaced)
     * @throws IOException if it cannot be written
     */
    public static void layerRanks(String title, List<LayerStat> layers, Path file) throws IOException {
        int width = Math.max(WIDTH, 46 * layers.size() + 200);
        CategoryChart chart = new CategoryChartBuilder().width(width).height(HEIGHT + 80)
                .title("Per-layer density and rank of the final model: " + title)
                .xAxisTitle("layer (delta-rank / full rank)").yAxisTitle("fraction").build();
        chart.getStyler().setXAxisLabelRotation(60).setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        List<String> names = new ArrayList<>();
        List<Double> density = new ArrayList<>();
        List<Double> rank = new ArrayList<>();
        for (LayerStat l : layers) {
            names.add(l.name() + " (" + Math.max(0, l.deltaRank()) + "/" + l.fullRank() + ")");
            density.add(1.0 - l.sparsity());
            rank.add(l.fullRank() == 0 ? 0.0 : Math.max(0, l.deltaRank()) / (double) l.fullRank());
        }
        chart.addSeries("density (1 - sparsity)", names, density);
        chart.addSeries("delta-rank / full rank (delta 0.1, full rank = min(out, in*kh*kw))", names, rank);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Singular values divided by the largest, on a log scale, for a few layers.
     *
     * @param title title suffix (the run's title)
     * @param spectra descending singular values by layer name (at least one non-zero value each)
     * @param file PNG to write (replaced)
     * @throws IOException if it cannot be written
     */
    public static void spectra(String title, Map<String, double[]> spectra, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Singular-value spectra of the final model: " + title).xAxisTitle("index i")
                .yAxisTitle("sigma_i / sigma_1").build();
        chart.getStyler().setYAxisLogarithmic(true).setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setYAxisLogarithmicDecadeOnly(false).setYAxisDecimalPattern("0.###");
        for (Map.Entry<String, double[]> e : spectra.entrySet()) {
            double[] s = e.getValue();
            List<Integer> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int i = 0; i < s.length; i++) {
                // log axis: zero singular values (exactly rank-deficient layers) are left out
                if (s[0] > 0 && s[i] / s[0] > 1e-12) {
                    x.add(i + 1);
                    y.add(s[i] / s[0]);
                }
            }
            if (!x.isEmpty()) {
                chart.addSeries(e.getKey(), x, y).setMarker(SeriesMarkers.NONE);
            }
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
