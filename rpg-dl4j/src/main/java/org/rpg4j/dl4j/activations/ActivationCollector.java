package org.rpg4j.dl4j.activations;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.rpg4j.dl4j.graph.NetworkGraph;
import org.rpg4j.dl4j.graph.NetworkNode;
import org.rpg4j.structured.FeatureMapRank;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects per-channel activation statistics and convolution input patches of any initialised
 * {@code MultiLayerNetwork} or {@code ComputationGraph}: inference-mode forward passes over at most
 * {@code maxBatches} batches of a {@code DataSetIterator}; per batch, each chosen node's output is
 * reduced to per-channel sums and each chosen convolution's input is offered to a
 * {@link PatchReservoir}, then dropped. Progress is logged at INFO every 10 batches.
 *
 * <pre>{@code
 * ActivationStatistics s = ActivationCollector.builder(20)
 *         .statistic(ChannelStatistic.FEATURE_MAP_RANK, "relu1", "relu2")
 *         .patches(2000, 7L, "conv2")
 *         .build().collect(net, train);
 * }</pre>
 */
public final class ActivationCollector {
    private static final Logger LOG = LoggerFactory.getLogger(ActivationCollector.class);
    private static final int PROGRESS_EVERY = 10;

    private final int maxBatches;
    private final Map<String, Set<ChannelStatistic>> statistics;
    private final Map<String, Integer> patchCapacity;
    private final long seed;

    private ActivationCollector(Builder b) {
        this.maxBatches = b.maxBatches;
        this.statistics = Map.copyOf(b.statistics);
        this.patchCapacity = Map.copyOf(b.patchCapacity);
        this.seed = b.seed;
    }

    /**
     * @param maxBatches batches to read at most, {@code >= 1}
     * @return a builder collecting nothing yet
     * @throws IllegalArgumentException if {@code maxBatches < 1}
     */
    public static Builder builder(int maxBatches) {
        if (maxBatches < 1) {
            throw new IllegalArgumentException("maxBatches must be >= 1, got " + maxBatches);
        }
        return new Builder(maxBatches);
    }

    /**
     * @param net an initialised network with one input; its parameters are not modified
     * @param data batches of inputs (labels are ignored); reset first if it supports it, read up to {@code maxBatches}
     * @return the statistics
     * @throws IllegalArgumentException if a named node is missing, a patch layer is not a plain
     *     convolution, a rank is asked of a non-4-D output, or the iterator is empty
     */
    public ActivationStatistics collect(Model net, DataSetIterator data) {
        NetworkGraph graph = NetworkGraph.of(net);
        Map<String, PatchReservoir> reservoirs = reservoirs(graph);
        statistics.keySet().forEach(graph::node);
        Map<String, double[]> means = new TreeMap<>();
        Map<String, double[]> ranks = new TreeMap<>();
        if (data.resetSupported()) {
            data.reset();
        }
        int batches = 0;
        long images = 0;
        long start = System.nanoTime();
        while (batches < maxBatches && data.hasNext()) {
            INDArray features = data.next().getFeatures();
            Map<String, INDArray> acts = NetworkActivations.forward(graph, features);
            accumulate(acts, means, ranks);
            reservoirs.forEach((layer, r) -> r.offer(acts.get(graph.node(layer).inputs().get(0))));
            images += features.size(0);
            batches++;
            if (batches % PROGRESS_EVERY == 0) {
                LOG.info("rpg4j activations: {} of at most {} batches, {} images, {} ms/batch", batches, maxBatches,
                        images, (System.nanoTime() - start) / 1_000_000 / batches);
            }
        }
        if (batches == 0) {
            throw new IllegalArgumentException("data must yield at least one batch, it yielded none");
        }
        double nanosPerBatch = (System.nanoTime() - start) / (double) batches;
        divide(means, images);
        divide(ranks, images);
        LOG.info("rpg4j activations: {} batches, {} images, {} ms/batch", batches, images,
                String.format("%.1f", nanosPerBatch / 1e6));
        return new ActivationStatistics(means, ranks, reservoirs, batches, images, nanosPerBatch);
    }

    private Map<String, PatchReservoir> reservoirs(NetworkGraph graph) {
        Map<String, PatchReservoir> out = new LinkedHashMap<>();
        long s = seed;
        for (Map.Entry<String, Integer> e : new TreeMap<>(patchCapacity).entrySet()) {
            NetworkNode node = graph.node(e.getKey());
            if (PlainConvolution.is(node.layer())) {
                out.put(e.getKey(), PatchReservoir.of((ConvolutionLayer) node.layer(), e.getValue(), s++));
            } else if (node.layer() != null && (node.layer().getClass() == DenseLayer.class
                    || node.layer().getClass() == OutputLayer.class)) {
                out.put(e.getKey(), PatchReservoir.ofRows((int) ((FeedForwardLayer) node.layer()).getNIn(), e
                        .getValue(), s++));
            } else {
                throw new IllegalArgumentException("patches need a plain 2-D convolution, a dense or an output layer; "
                        + "layer '"
                        + e.getKey() + "' is " + node.type());
            }
        }
        return out;
    }

    private void accumulate(Map<String, INDArray> acts, Map<String, double[]> means, Map<String, double[]> ranks) {
        for (Map.Entry<String, Set<ChannelStatistic>> e : statistics.entrySet()) {
            INDArray a = acts.get(e.getKey());
            if (e.getValue().contains(ChannelStatistic.MEAN_ACTIVATION)) {
                // per image: the mean over positions; summed over the batch, divided by the image count at the end
                INDArray perImage = a.rank() == 4 ? a.castTo(DataType.DOUBLE).mean(2, 3) : a.castTo(DataType.DOUBLE);
                add(means, e.getKey(), perImage.sum(0).toDoubleVector());
            }
            if (e.getValue().contains(ChannelStatistic.FEATURE_MAP_RANK)) {
                if (a.rank() != 4) {
                    throw new IllegalArgumentException("feature-map rank needs a 4-D output; node '" + e.getKey()
                            + "' outputs " + java.util.Arrays.toString(a.shape()));
                }
                add(ranks, e.getKey(), FeatureMapRank.rankSums(a));
            }
        }
    }

    private static void add(Map<String, double[]> sums, String node, double[] values) {
        double[] s = sums.computeIfAbsent(node, k -> new double[values.length]);
        for (int i = 0; i < s.length; i++) {
            s[i] += values[i];
        }
    }

    private static void divide(Map<String, double[]> sums, long images) {
        for (double[] s : sums.values()) {
            for (int i = 0; i < s.length; i++) {
                s[i] /= images;
            }
        }
    }

    /** Builder of an {@link ActivationCollector}. */
    public static final class Builder {
        private final int maxBatches;
        private final Map<String, Set<ChannelStatistic>> statistics = new TreeMap<>();
        private final Map<String, Integer> patchCapacity = new TreeMap<>();
        private long seed;

        private Builder(int maxBatches) {
            this.maxBatches = maxBatches;
        }

        /**
         * @param statistic what to accumulate
         * @param nodes layer or vertex names whose outputs are measured
         * @return this builder
         * @throws IllegalArgumentException if the statistic is null or a name is blank
         */
        public Builder statistic(ChannelStatistic statistic, String... nodes) {
            if (statistic == null) {
                throw new IllegalArgumentException("statistic must be one of "
                        + java.util.Arrays.toString(ChannelStatistic.values()) + ", got null");
            }
            for (String n : nodes) {
                requireName(n);
                statistics.computeIfAbsent(n, k -> EnumSet.noneOf(ChannelStatistic.class)).add(statistic);
            }
            return this;
        }

        /**
         * @param capacity rows kept per layer, {@code >= 1}
         * @param layers plain convolution layers whose input patches are sampled, or dense / output layers
         *     whose whole input rows are
         * @return this builder
         * @throws IllegalArgumentException if {@code capacity < 1} or a name is blank
         */
        public Builder patches(int capacity, String... layers) {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
            }
            for (String l : layers) {
                patchCapacity.put(requireName(l), capacity);
            }
            return this;
        }

        /**
         * @param seed seed of the patch sampling (layer {@code i} in name order uses {@code seed + i})
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** @return the collector */
        public ActivationCollector build() {
            return new ActivationCollector(this);
        }

        private static String requireName(String n) {
            if (n == null || n.isBlank()) {
                throw new IllegalArgumentException("node names must not be blank, got '" + n + "'");
            }
            return n;
        }
    }
}
