package org.rpg4j.prune;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.rpg4j.rank.RankMetrics;
import org.rpg4j.tensor.ZeroLines;

/**
 * Per-layer sparsity, rank and all-zero rows and columns of the prunable tensors, and the global
 * sparsity; a readable table
 * ({@link #toString()}) and JSON ({@link #toJson()}).
 *
 * @param layers one entry per prunable tensor, in global order
 * @param unsupportedLayers layers with weights that the adapter could not prune ("name (Class)")
 */
public record PruningReport(List<LayerReport> layers, List<String> unsupportedLayers) {
    /**
     * Copies both lists.
     *
     * @param layers see {@link #layers()}
     * @param unsupportedLayers see {@link #unsupportedLayers()}
     */
    public PruningReport {
        layers = List.copyOf(layers);
        unsupportedLayers = List.copyOf(unsupportedLayers);
    }

    static PruningReport of(List<PrunableTensor> tensors, INDArray[] weights, int[] lastK) {
        List<LayerReport> layers = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) {
            PrunableTensor t = tensors.get(i);
            long zeros = ExactCounts.zeros(weights[i]);
            long n = weights[i].length();
            INDArray outputFirst = weights[i].permute(t.outputFirstAxes());
            int deltaRank = RankMetrics.deltaRank(outputFirst, RankMetrics.DEFAULT_DELTA);
            ZeroLines zeroLines = ZeroLines.of(outputFirst);
            layers.add(new LayerReport(t.name(), t.layerType(), t.shape(), n, n - zeros, (double) zeros / n,
                    deltaRank, lastK[i], zeroLines.rows(), zeroLines.columns()));
        }
        return new PruningReport(layers, List.of());
    }

    /**
     * @param unsupported layers with weights that the adapter could not prune ("name (Class)")
     * @return a copy listing these unsupported layers
     */
    public PruningReport withUnsupportedLayers(List<String> unsupported) {
        return new PruningReport(layers, unsupported);
    }

    /** @return total number of prunable weights */
    public long parameters() {
        return layers.stream().mapToLong(LayerReport::parameters).sum();
    }

    /** @return total number of non-zero prunable weights */
    public long nonZeros() {
        return layers.stream().mapToLong(LayerReport::nonZeros).sum();
    }

    /** @return fraction of zeros over all prunable weights */
    public double globalSparsity() {
        long p = parameters();
        return p == 0 ? 0.0 : 1.0 - (double) nonZeros() / p;
    }

    /** @return the report as a JSON object */
    public String toJson() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("globalSparsity", globalSparsity());
        root.put("parameters", parameters());
        root.put("nonZeros", nonZeros());
        ArrayNode array = root.putArray("layers");
        for (LayerReport l : layers) {
            ObjectNode o = array.addObject();
            o.put("name", l.name());
            o.put("type", l.layerType());
            ArrayNode shape = o.putArray("shape");
            Arrays.stream(l.shape()).forEach(shape::add);
            o.put("parameters", l.parameters());
            o.put("nonZeros", l.nonZeros());
            o.put("sparsity", l.sparsity());
            o.put("deltaRank", l.deltaRank());
            o.put("lastK", l.lastK());
            o.put("zeroRows", l.zeroRows());
            o.put("zeroColumns", l.zeroColumns());
        }
        ArrayNode unsupported = root.putArray("unsupportedLayers");
        unsupportedLayers.forEach(unsupported::add);
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException("could not write the report as JSON", e);
        }
    }

    @Override
    public String toString() {
        int nameWidth = Math.max(5, layers.stream().mapToInt(l -> l.name().length()).max().orElse(5));
        int typeWidth = Math.max(4, layers.stream().mapToInt(l -> l.layerType().length()).max().orElse(4));
        String format = "%-" + nameWidth + "s  %-" + typeWidth + "s  %-18s %10s %10s %9s %10s %6s %9s %9s%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, format, "layer", "type", "shape", "params", "non-zeros", "sparsity",
                "delta-rank", "k", "zero-rows", "zero-cols"));
        for (LayerReport l : layers) {
            sb.append(String.format(Locale.ROOT, format, l.name(), l.layerType(), Arrays.toString(l.shape()),
                    l.parameters(), l.nonZeros(), String.format(Locale.ROOT, "%.4f", l.sparsity()), l.deltaRank(),
                    l.lastK() < 0 ? "-" : Integer.toString(l.lastK()), l.zeroRows(), l.zeroColumns()));
        }
        sb.append(String.format(Locale.ROOT, "global sparsity %.4f (%d of %d prunable weights are non-zero)%n",
                globalSparsity(), nonZeros(), parameters()));
        for (String u : unsupportedLayers) {
            sb.append("unsupported (not pruned): ").append(u).append('\n');
        }
        return sb.toString();
    }
}
