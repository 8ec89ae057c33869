package org.rpg4j.regrow;

import java.util.OptionalDouble;

/** Boundary checks of {@link TopologyUpdate#apply}; messages name the parameter, the value and what is allowed. */
final class UpdateInputs {
    private UpdateInputs() {
    }

    static void check(float[][] weights, boolean[][] currentMasks, float[][] denseScores,
                      OptionalDouble globalDensity, double dropFraction, Object regrowth, Object random,
                      Object budget, double[] maxSparsity) {
        tensors(weights);
        if (currentMasks == null || currentMasks.length != weights.length) {
            throw new IllegalArgumentException("currentMasks must hold one mask per tensor (" + weights.length
                    + "), got " + (currentMasks == null ? "null" : String.valueOf(currentMasks.length)));
        }
        if (denseScores == null || denseScores.length != weights.length) {
            throw new IllegalArgumentException("denseScores must hold one entry (possibly null) per tensor ("
                    + weights.length + "), got " + (denseScores == null ? "null" : String.valueOf(denseScores.length)));
        }
        for (int t = 0; t < weights.length; t++) {
            int n = weights[t].length;
            if (currentMasks[t] == null || currentMasks[t].length != n) {
                throw new IllegalArgumentException("currentMasks[" + t + "] must have length " + n + ", got "
                        + (currentMasks[t] == null ? "null" : String.valueOf(currentMasks[t].length)));
            }
            if (denseScores[t] != null && denseScores[t].length != n) {
                throw new IllegalArgumentException("denseScores[" + t + "] must be null or have length " + n
                        + ", got " + denseScores[t].length);
            }
            finite("weights", t, weights[t]);
            finite("denseScores", t, denseScores[t]);
        }
        if (globalDensity == null) {
            throw new IllegalArgumentException("globalDensity must not be null (OptionalDouble.empty() for a "
                    + "stationary update)");
        }
        if (globalDensity.isPresent() && !(globalDensity.getAsDouble() > 0 && globalDensity.getAsDouble() <= 1)) {
            throw new IllegalArgumentException("globalDensity must be in (0, 1], got " + globalDensity.getAsDouble());
        }
        if (!(dropFraction >= 0 && dropFraction <= 1)) {
            throw new IllegalArgumentException("dropFraction must be in [0, 1], got " + dropFraction);
        }
        if (regrowth == null) {
            throw new IllegalArgumentException("regrowth must not be null (for example RegrowthKind.GRADIENT.regrowth())");
        }
        if (random == null) {
            throw new IllegalArgumentException("random must not be null (a SplittableRandom seeded for this update)");
        }
        if (budget == null) {
            throw new IllegalArgumentException("budget must not be null, one of GLOBAL, UNIFORM, ERK");
        }
        if (maxSparsity != null && maxSparsity.length != weights.length) {
            throw new IllegalArgumentException("maxSparsity must be null or hold one cap per tensor ("
                    + weights.length + "), got " + maxSparsity.length);
        }
    }

    private static void tensors(float[][] weights) {
        if (weights == null || weights.length == 0) {
            throw new IllegalArgumentException("weights must hold at least one tensor, got "
                    + (weights == null ? "null" : "none"));
        }
        for (int t = 0; t < weights.length; t++) {
            if (weights[t] == null || weights[t].length == 0) {
                throw new IllegalArgumentException("weights[" + t + "] must hold at least one value, got "
                        + (weights[t] == null ? "null" : "an empty array"));
            }
        }
    }

    private static void finite(String name, int t, float[] values) {
        if (values == null) {
            return;
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(name + "[" + t + "] must be finite at a topology update, got "
                        + values[i] + " at flat index " + i);
            }
        }
    }
}
