package org.rpg4j.dl4j.shrink;

import java.util.List;
import org.deeplearning4j.nn.api.Model;

/**
 * The result of {@link InferenceFolding}: the inference network and what was merged.
 *
 * @param <N> the network type ({@code MultiLayerNetwork} or {@code ComputationGraph})
 * @param network the new, initialised network, of the same type as the original, with fewer layers
 * @param merged one line per merged convolution: {@code "conv <- bn, relu"} (the absorbed layers, in order)
 * @param leftAlone one line per batch norm that was kept, with the reason: {@code "bn: input pool is a
 *     SubsamplingLayer, not a 2-D convolution"}
 */
public record FoldedNetwork<N extends Model>(N network, List<String> merged, List<String> leftAlone) {
    /**
     * Copies the lists.
     *
     * @param network the new, initialised network, not null
     * @param merged one line per merged convolution, not null
     * @param leftAlone one line per batch norm kept, with the reason, not null
     * @throws IllegalArgumentException if an argument is null
     */
    public FoldedNetwork {
        if (network == null || merged == null || leftAlone == null) {
            throw new IllegalArgumentException("network, merged and leftAlone must not be null");
        }
        merged = List.copyOf(merged);
        leftAlone = List.copyOf(leftAlone);
    }
}
