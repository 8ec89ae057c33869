package org.rpg4j.dl4j.structured;

import java.util.List;
import java.util.Locale;

/**
 * The result of a {@link SensitivityAnalysis}: the unpruned network's loss and accuracy on the
 * evaluation batches, and one {@link SensitivityPoint} per (group, ratio), groups in network order,
 * ratios ascending.
 *
 * @param baselineLoss mean loss per example of the unpruned network
 * @param baselineAccuracy accuracy of the unpruned network, in [0, 1]
 * @param examples evaluation examples behind every number
 * @param points the measurements
 */
public record SensitivityTable(double baselineLoss, double baselineAccuracy, long examples,
                               List<SensitivityPoint> points) {
    /**
     * Copies the list.
     *
     * @param baselineLoss mean loss per example of the unpruned network
     * @param baselineAccuracy accuracy of the unpruned network, in [0, 1]
     * @param examples evaluation examples behind every number
     * @param points the measurements
     */
    public SensitivityTable {
        points = List.copyOf(points);
    }

    /**
     * @param group a group name
     * @return its points, ratios ascending (empty if the group was not analysed)
     */
    public List<SensitivityPoint> pointsOf(String group) {
        return points.stream().filter(p -> p.group().equals(group)).toList();
    }

    /** @return group names in network order, each once */
    public List<String> groups() {
        return points.stream().map(SensitivityPoint::group).distinct().toList();
    }

    /**
     * @return CSV with header {@code group,channels,ratio,removed,loss,accuracy,loss_increase,accuracy_drop}
     *     (one line per point, {@code \n} line ends, {@code .} decimal point)
     */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(
                "group,channels,ratio,removed,loss,accuracy,loss_increase,accuracy_drop\n");
        for (SensitivityPoint p : points) {
            sb.append(String.format(Locale.ROOT, "%s,%d,%.4f,%d,%.6f,%.6f,%.6f,%.6f%n", p.group(), p.channels(),
                    p.ratio(), p.removed(), p.loss(), p.accuracy(), p.loss() - baselineLoss,
                    baselineAccuracy - p.accuracy()).replace(System.lineSeparator(), "\n"));
        }
        return sb.toString();
    }
}
