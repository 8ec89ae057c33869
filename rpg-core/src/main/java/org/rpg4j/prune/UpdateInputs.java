package org.rpg4j.prune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.mask.ParallelIndices;
import org.rpg4j.tensor.MaskArrays;
import org.rpg4j.regrow.LayerInput;

/**
 * The per-layer inputs of the pruner's topology update. They are built (and so checked finite by
 * {@link LayerInput}) before the rank step uses the weights; a rank candidate's grow score, its
 * dense gradient plus its rank gradient, is added once the rank step has run.
 *
 * <p>Weights and scores are read into the pruner's {@link UpdateBuffers}, which live as long as
 * the pruner: an update allocates no full-size float arrays for its inputs.
 */
final class UpdateInputs {
    private UpdateInputs() {}

    /**
     * @param weights weights in tensor order; not modified
     * @param denseGradients dense gradients in tensor order; not modified
     * @param current the masks before the update, one per tensor; held by the inputs, not copied
     * @param buffers the pruner's buffers, overwritten with the weights and the dense gradients
     * @return one input per tensor; rank candidates have no scores yet
     */
    static List<LayerInput> of(TensorList tensors, RankLossLayers rankLayers, INDArray[] weights,
                               INDArray[] denseGradients, boolean[][] current, UpdateBuffers buffers) {
        LayerInput[] inputs = new LayerInput[weights.length];
        // per tensor in parallel: each reads its own arrays and checks them (the first tensor's error wins)
        ParallelIndices.forEach(weights.length, i -> {
            PrunableTensor t = tensors.get(i);
            float[] score = rankLayers.isCandidate(i) ? null
                    : buffers.scores(i, MaskArrays.values(denseGradients[i], buffers.scores(i)));
            float[] w = buffers.weights(i, MaskArrays.values(weights[i], buffers.weights(i)));
            inputs[i] = new LayerInput(t.name(), w, current[i], score, t.shape(), t.maxSparsity());
        });
        return Arrays.asList(inputs);
    }

    /**
     * @param rank the rank step of this update, or null without rank loss
     * @param buffers the pruner's buffers; the rank candidates' scores are written to them
     * @return the inputs, each rank candidate scored by its dense gradient plus its rank gradient (if it took part)
     */
    static List<LayerInput> withRankScores(List<LayerInput> inputs, INDArray[] denseGradients, RankStep rank,
                                           UpdateBuffers buffers) {
        List<LayerInput> scored = new ArrayList<>(inputs);
        for (int i = 0; i < scored.size(); i++) {
            if (scored.get(i).scores() == null) {
                INDArray score = denseGradients[i].dup('c');
                rank.addGradientInPlace(scored.get(i).name(), score);
                scored.set(i, scored.get(i).withScores(buffers.scores(i, MaskArrays.values(score,
                        buffers.scores(i)))));
            }
        }
        return scored;
    }
}
