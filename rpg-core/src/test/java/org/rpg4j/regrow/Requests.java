package org.rpg4j.regrow;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.rpg4j.mask.LayerBudget;

/**
 * Builds {@link UpdateRequest}s from the per-tensor arrays the tests generate; tensor {@code l} is
 * named {@code "t" + l}.
 */
final class Requests {
    private Requests() {
    }

    /**
     * @param shapes null, or one shape per tensor
     * @param caps null, or one cap per tensor
     * @return one input per tensor
     */
    static List<LayerInput> layers(float[][] weights, boolean[][] masks, float[][] scores, long[][] shapes,
                                   double[] caps) {
        List<LayerInput> layers = new ArrayList<>();
        for (int l = 0; l < weights.length; l++) {
            layers.add(new LayerInput("t" + l, weights[l], masks[l], scores[l], shapes == null ? null : shapes[l],
                    caps == null ? 1.0 : caps[l]));
        }
        return layers;
    }

    /** Runs {@link TopologyUpdate#apply} on a request built from the arrays. */
    static TopologyUpdateResult apply(float[][] weights, boolean[][] masks, float[][] scores, OptionalDouble density,
                                      double dropFraction, Regrowth regrowth, SplittableRandom random,
                                      LayerBudget budget, long[][] shapes, double[] caps) {
        return TopologyUpdate.apply(new UpdateRequest(layers(weights, masks, scores, shapes, caps), density,
                dropFraction, regrowth, random, budget));
    }
}
