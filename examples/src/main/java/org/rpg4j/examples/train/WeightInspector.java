package org.rpg4j.examples.train;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.CountNonZero;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.tensor.ZeroLines;

/**
 * Finds the prunable weights of a network (the {@code W} parameter of every convolution and dense
 * layer, as rpg4j prunes them) and measures their sparsity and, optionally, their delta-rank. Works
 * on any network, pruned or not, so that the dense baseline reports the same columns.
 */
public final class WeightInspector {
    /** Relative Frobenius tolerance of the delta-rank, as in rpg4j's reports. */
    public static final double DELTA = org.rpg4j.rank.RankMetrics.DEFAULT_DELTA;

    private WeightInspector() {}

    /**
     * @param net the network; not modified
     * @return each prunable layer's name and weight seen output-first ({@code [out, ...]}; a view for
     *     dense layers, whose DL4J weight is {@code [in, out]})
     */
    public static List<NamedWeight> prunableWeights(ComputationGraph net) {
        List<NamedWeight> weights = new ArrayList<>();
        for (Layer layer : net.getLayers()) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            INDArray w = layer.paramTable().get("W");
            if (w == null || w.rank() < 2 || conf instanceof BatchNormalization) {
                continue;
            }
            INDArray outputFirst = w.rank() == 2 ? w.transpose() : w;
            weights.add(new NamedWeight(conf.getLayerName(), conf.getClass().getSimpleName(), outputFirst));
        }
        return weights;
    }

    /**
     * @param net the network; not modified
     * @param withRank whether to compute delta-ranks (an SVD per layer; -1 otherwise)
     * @return one entry per prunable layer, in network order, with exact counts of zeros and of
     *     all-zero rows and columns ({@link ZeroLines}, as in rpg4j's {@code PruningReport})
     */
    public static List<LayerStat> inspect(ComputationGraph net, boolean withRank) {
        List<LayerStat> stats = new ArrayList<>();
        for (NamedWeight w : prunableWeights(net)) {
            long n = w.weight().length();
            long zeros = n - nonZeros(w.weight());
            long out = w.weight().size(0);
            int fullRank = (int) Math.min(out, n / out);
            int deltaRank = withRank ? Ranks.deltaRank(w.weight(), DELTA) : -1;
            ZeroLines zeroLines = ZeroLines.of(w.weight());
            stats.add(new LayerStat(w.name(), w.type(), w.weight().shape(), n, n - zeros, deltaRank, fullRank,
                    zeroLines.rows(), zeroLines.columns()));
        }
        return stats;
    }

    /** @return fraction of zeros over all prunable weights together */
    public static double globalSparsity(ComputationGraph net) {
        long total = 0;
        long zeros = 0;
        for (NamedWeight w : prunableWeights(net)) {
            total += w.weight().length();
            zeros += w.weight().length() - nonZeros(w.weight());
        }
        return total == 0 ? 0.0 : (double) zeros / total;
    }

    /**
     * Counts entries that are not exactly 0.0. ({@code scan(Conditions.equals(0.0))} is not exact:
     * it counts every {@code |w| <= 1e-5} as zero, about 3 in 10,000 weights of a fresh ResNet.)
     */
    static long nonZeros(INDArray array) {
        return Nd4j.getExecutioner().exec(new CountNonZero(array)).getLong(0);
    }

    /** @return mean delta-rank over the layers that have one, NaN if none */
    public static double meanDeltaRank(List<LayerStat> stats) {
        return stats.stream().filter(s -> s.deltaRank() >= 0).mapToInt(LayerStat::deltaRank).average()
                .orElse(Double.NaN);
    }

    /**
     * @param outputFirst a weight seen as {@code [out, ...]}; not modified
     * @return its singular values as an {@code [out, rest]} matrix, descending
     */
    public static double[] singularValues(INDArray outputFirst) {
        return Ranks.singularValues(outputFirst);
    }

    /**
     * A prunable weight.
     *
     * @param name layer name
     * @param type simple class name of the layer configuration
     * @param weight the weight output-first, a view into the network's parameters (do not modify)
     */
    public record NamedWeight(String name, String type, INDArray weight) {}
}
