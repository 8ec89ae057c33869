package org.rpg4j.prune;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.rank.AdversarialRankLoss;
import org.rpg4j.rank.RankLossResult;

/**
 * Which tensors take part in the adversarial rank loss, and the rank step over them: the
 * convolutions (or every prunable tensor, {@link RankLayers#ALL_PRUNABLE}) whose zero fraction has
 * reached {@link RankLoss#minLayerSparsity()}.
 */
final class RankLossLayers {
    private final RankLoss settings;
    private final TensorList tensors;

    RankLossLayers(RankLoss settings, TensorList tensors) {
        this.settings = settings;
        this.tensors = tensors;
    }

    /** @return whether the tensor can take part (whether it does depends on its sparsity at the update) */
    boolean isCandidate(int index) {
        PrunableTensor t = tensors.get(index);
        return settings.enabled() && (t.kind() != TensorKind.DENSE || settings.layers() != RankLayers.CONVOLUTIONS);
    }

    /**
     * @param weights the weights in tensor order; not modified
     * @return per-layer losses and gradients, with the reference aggregation (mean over active layers)
     */
    RankStep compute(INDArray[] weights) {
        Map<String, RankLossResult> results = new LinkedHashMap<>();
        Map<String, int[]> axes = new HashMap<>();
        for (int i = 0; i < tensors.size(); i++) {
            PrunableTensor t = tensors.get(i);
            if (takesPart(i, weights[i])) {
                results.put(t.name(), AdversarialRankLoss.compute(weights[i].permute(t.outputFirstAxes()),
                        settings.partialK()));
                axes.put(t.name(), t.outputFirstAxes());
            }
        }
        return new RankStep(results, axes,
                AdversarialRankLoss.aggregate(new ArrayList<>(results.values()), settings.lambda()));
    }

    private boolean takesPart(int index, INDArray weights) {
        if (!isCandidate(index)) {
            return false;
        }
        if (settings.minLayerSparsity() == 0) {
            return true;
        }
        double zeros = ExactCounts.zeros(weights);
        return zeros / weights.length() >= settings.minLayerSparsity();
    }
}
