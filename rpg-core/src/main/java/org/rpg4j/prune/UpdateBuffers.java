package org.rpg4j.prune;

/**
 * The float arrays a pruner reads weights and dense gradients into at each topology update, one
 * pair per tensor, allocated with the pruner (created or restored) and kept for its life, as a
 * training run keeps its pruner. An update of a large model otherwise allocates two full-size
 * copies of it on the Java heap (100 MB each for 25.5 M weights); with the heap filling that fast,
 * collections ran inside nearly every update and made its time vary several-fold. The buffers are
 * overwritten by the next update, so nothing may hold them across updates (the update's inputs
 * and result do not escape {@link Pruner#updateTopology}).
 */
final class UpdateBuffers {
    private final float[][] weights;
    private final float[][] scores;

    /** @param tensors the pruner's tensors: one weight and one score buffer of each one's length */
    UpdateBuffers(TensorList tensors) {
        weights = new float[tensors.size()][];
        scores = new float[tensors.size()][];
        for (int i = 0; i < weights.length; i++) {
            int n = Math.toIntExact(tensors.get(i).length());
            weights[i] = new float[n];
            scores[i] = new float[n];
        }
    }

    /** @return tensor {@code i}'s weight buffer */
    float[] weights(int i) {
        return weights[i];
    }

    /** @return {@code values}, kept as tensor {@code i}'s weight buffer */
    float[] weights(int i, float[] values) {
        weights[i] = values;
        return values;
    }

    /** @return tensor {@code i}'s score buffer */
    float[] scores(int i) {
        return scores[i];
    }

    /** @return {@code values}, kept as tensor {@code i}'s score buffer */
    float[] scores(int i, float[] values) {
        scores[i] = values;
        return values;
    }
}
