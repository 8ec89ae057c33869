package org.rpg4j.prune;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The pruner's log lines: INFO once per topology update, DEBUG per tensor. */
final class UpdateLog {
    private static final Logger LOG = LoggerFactory.getLogger(Pruner.class);

    private UpdateLog() {}

    static void attached(TensorList tensors, double sparsity) {
        LOG.info("rpg4j attached to {} tensors ({} weights), initial sparsity {}", tensors.size(),
                tensors.totalWeights(), sparsity);
    }

    static void update(UpdateSummary s, TensorList tensors, MaskSet masks, int[] lastK) {
        LOG.info("rpg4j update {} at iteration {}: scheduled density {}, sparsity {}, drop fraction {}, grown {}, "
                + "rank loss {} over {} layers, mean k {}, {} ms",
                s.updateIndex(), s.iteration(), fmt(s.scheduledDensity()), fmt(s.sparsity()), fmt(s.dropFraction()),
                s.grown(), fmt(s.rankLoss()), s.activeRankLayers(), fmt(s.meanTruncationRank()), s.millis());
        if (LOG.isDebugEnabled()) {
            for (int i = 0; i < tensors.size(); i++) {
                LOG.debug("rpg4j   {}: kept {} of {}, last k {}", tensors.get(i).name(), masks.keptCount(i),
                        tensors.get(i).length(), lastK[i]);
            }
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.5f", v);
    }
}
