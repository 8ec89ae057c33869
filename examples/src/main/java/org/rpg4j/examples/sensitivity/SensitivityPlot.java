package org.rpg4j.examples.sensitivity;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.rpg4j.dl4j.structured.SensitivityPoint;
import org.rpg4j.dl4j.structured.SensitivityTable;

/** Li et al.'s figure 2(b) for one network: test accuracy against the fraction of a layer's filters pruned. */
final class SensitivityPlot {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private SensitivityPlot() {}

    /**
     * @param title chart title
     * @param table the analysis; one line per group plus the unpruned accuracy
     * @param file PNG to write (replaced)
     * @throws IOException if it cannot be written
     */
    static void write(String title, SensitivityTable table, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("fraction of the layer's channels pruned (alone)").yAxisTitle("accuracy").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE).setMarkerSize(6);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        double lastRatio = 0;
        for (String group : table.groups()) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            x.add(0.0);
            y.add(table.baselineAccuracy());
            for (SensitivityPoint p : table.pointsOf(group)) {
                x.add(p.ratio());
                y.add(p.accuracy());
                lastRatio = Math.max(lastRatio, p.ratio());
            }
            chart.addSeries(group + " (" + table.pointsOf(group).get(0).channels() + ")", x, y);
        }
        chart.addSeries("unpruned", List.of(0.0, Math.max(lastRatio, 0.1)), List.of(table.baselineAccuracy(), table
                .baselineAccuracy())).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
