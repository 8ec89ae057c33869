package org.rpg4j.dl4j.activations;

import java.util.Map;
import java.util.Optional;

/**
 * What {@link ActivationCollector#collect} measured.
 *
 * @param meanActivation per node, the mean of each output channel over images and positions
 * @param averageRank per node, the average numerical rank of each channel's {@code [h, w]} maps
 * @param patches per convolution layer, the reservoir of its input patches
 * @param batches batches read
 * @param images images read
 * @param nanosPerBatch mean wall time per batch (forward pass and accumulation), in nanoseconds
 */
public record ActivationStatistics(Map<String, double[]> meanActivation, Map<String, double[]> averageRank,
                                   Map<String, PatchReservoir> patches, int batches, long images,
                                   double nanosPerBatch) {
    /**
     * Copies the maps (the arrays and reservoirs are shared).
     *
     * @param meanActivation per node, the mean of each output channel over images and positions
     * @param averageRank per node, the average numerical rank of each channel's {@code [h, w]} maps
     * @param patches per convolution layer, the reservoir of its input patches
     * @param batches batches read
     * @param images images read
     * @param nanosPerBatch mean wall time per batch (forward pass and accumulation), in nanoseconds
     */
    public ActivationStatistics {
        meanActivation = Map.copyOf(meanActivation);
        averageRank = Map.copyOf(averageRank);
        patches = Map.copyOf(patches);
    }

    /**
     * @param node a node name
     * @param statistic which statistic
     * @return the per-channel values, if collected for that node
     */
    public Optional<double[]> of(String node, ChannelStatistic statistic) {
        Map<String, double[]> m = statistic == ChannelStatistic.MEAN_ACTIVATION ? meanActivation : averageRank;
        return Optional.ofNullable(m.get(node)).map(double[]::clone);
    }

    /** @return bytes retained after collection: the per-channel arrays and the patch reservoirs */
    public long retainedBytes() {
        long bytes = 0;
        for (double[] v : meanActivation.values()) {
            bytes += 8L * v.length;
        }
        for (double[] v : averageRank.values()) {
            bytes += 8L * v.length;
        }
        for (PatchReservoir r : patches.values()) {
            bytes += r.retainedBytes();
        }
        return bytes;
    }
}
