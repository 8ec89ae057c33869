package org.rpg4j.dl4j.shrink;

import java.util.List;
import org.deeplearning4j.nn.api.Model;

/**
 * A shrunk network and what the shrinking could not do exactly.
 *
 * @param network the new, initialised network (same type as the original; updater state as the {@link UpdaterStatePolicy} asked)
 * @param inexactFolds removed channels with a nonzero constant value that could not be folded
 *     exactly into the next layer (padding, no bias, depthwise/separable/deconvolution readers), as
 *     {@code "layer: n channels"}; empty when the removal changes no output
 */
public record ShrinkResult(Model network, List<String> inexactFolds) {
    /**
     * Copies the list.
     *
     * @param network the new, initialised network
     * @param inexactFolds channels that could not be folded exactly, as {@code "layer: n channels"}; not null
     */
    public ShrinkResult {
        inexactFolds = List.copyOf(inexactFolds);
    }
}
