package org.rpg4j.regrow;

import java.util.Arrays;

/**
 * One tensor's inputs to a topology update, validated once here (the update's door). Arrays are
 * held, not copied: the update does not modify them, and the caller must not modify them while
 * the update runs. Equality is by identity of the arrays (a record of arrays).
 *
 * @param name the tensor's name, used in messages
 * @param weights the weights, flat in C order of the logical shape; at least one, all finite
 * @param mask the mask before the update (true = active), same length as {@code weights}
 * @param scores the signed dense (unmasked) gradient plus any rank-loss term, same length, all
 *     finite; {@code |.|} is taken inside. May be null if the regrowth does not
 *     {@linkplain Regrowth#requiresGrowScores() require} grow scores, or for a layer that ends up
 *     skipped (no zeros after the threshold)
 * @param shape the logical shape ({@code [out, in, kh, kw]}, {@code [out, in]} or
 *     {@code [in, out]}), whose product is the length; null unless the budget is ERK
 * @param maxSparsity the layer's cap in [0, 1] (1.0 = uncapped)
 */
public record LayerInput(String name, float[] weights, boolean[] mask, float[] scores, long[] shape,
                         double maxSparsity) {
    /** All-ones bits of a float's exponent: the exponent of every NaN and infinity, of no finite value. */
    private static final int EXPONENT = 0x7f800000;

    /**
     * Validates the inputs; the arrays are held, not copied.
     *
     * @param name the tensor's name, not null
     * @param weights the weights, flat in C order; at least one, all finite
     * @param mask the mask before the update (true = active), same length as {@code weights}
     * @param scores the grow scores, same length and finite, or null (see the record)
     * @param shape the logical shape whose product is the length, or null
     * @param maxSparsity the layer's cap in [0, 1] (1.0 = uncapped)
     * @throws IllegalArgumentException naming the tensor and the argument if an array is null or
     *     empty where not allowed, lengths differ, a weight or score is NaN or infinite, the shape
     *     does not fit the length, or {@code maxSparsity} is outside [0, 1]
     */
    public LayerInput {
        if (name == null) {
            throw new IllegalArgumentException("name must not be null");
        }
        if (weights == null || weights.length == 0) {
            throw new IllegalArgumentException("weights of '" + name + "' must hold at least one value, got "
                    + (weights == null ? "null" : "an empty array"));
        }
        int n = weights.length;
        if (mask == null || mask.length != n) {
            throw new IllegalArgumentException("mask of '" + name + "' must have length " + n + ", got "
                    + (mask == null ? "null" : String.valueOf(mask.length)));
        }
        if (scores != null && scores.length != n) {
            throw new IllegalArgumentException("scores of '" + name + "' must be null or have length " + n + ", got "
                    + scores.length);
        }
        if (shape != null && !fits(shape, n)) {
            throw new IllegalArgumentException("shape of '" + name + "' must have dimensions >= 1 whose product is "
                    + n + ", got " + Arrays.toString(shape));
        }
        if (!(maxSparsity >= 0 && maxSparsity <= 1)) {
            throw new IllegalArgumentException("maxSparsity of '" + name + "' must be in [0, 1], got " + maxSparsity);
        }
        checkFinite("weights of '" + name + "'", weights);
        checkFinite("scores of '" + name + "' (its dense gradient)", scores);
    }

    /**
     * @param name the tensor's name
     * @param weights the weights (see the record)
     * @param mask the current mask
     * @param scores the grow scores, or null
     * @return an input without shape, uncapped
     */
    public static LayerInput of(String name, float[] weights, boolean[] mask, float[] scores) {
        return new LayerInput(name, weights, mask, scores, null, 1.0);
    }

    /**
     * @param newShape the logical shape ({@code [out, in, kh, kw]}, {@code [out, in]} or {@code [in, out]}),
     *     dimensions {@code >= 1} whose product is {@link #size()}
     * @return a copy with this logical shape (needed by the ERK budget); this input is unchanged
     * @throws IllegalArgumentException if the shape does not fit the length
     */
    public LayerInput withShape(long[] newShape) {
        return new LayerInput(name, weights, mask, scores, newShape, maxSparsity);
    }

    /**
     * @param cap the largest sparsity this layer may reach, in [0, 1] (1.0 = uncapped)
     * @return a copy with this cap; this input is unchanged
     * @throws IllegalArgumentException if {@code cap} is outside [0, 1]
     */
    public LayerInput withMaxSparsity(double cap) {
        return new LayerInput(name, weights, mask, scores, shape, cap);
    }

    /**
     * @param newScores the grow scores (signed dense gradient plus any rank-loss term), length
     *     {@link #size()}, all finite; or null
     * @return a copy with these grow scores; this input is unchanged
     * @throws IllegalArgumentException if the length differs or a score is NaN or infinite
     */
    public LayerInput withScores(float[] newScores) {
        return new LayerInput(name, weights, mask, newScores, shape, maxSparsity);
    }

    /** @return number of weights */
    public int size() {
        return weights.length;
    }

    private static boolean fits(long[] shape, int n) {
        long product = 1;
        for (long d : shape) {
            if (d < 1) {
                return false;
            }
            product *= d;
            if (product > n) {
                return false;
            }
        }
        return product == n;
    }

    /**
     * A float is NaN or infinite exactly when its exponent bits are all ones. The maximum of the
     * exponent bits over the array is an int reduction the JIT vectorises; only when it hits
     * {@link #EXPONENT} is the array scanned again to name the first bad index.
     */
    private static void checkFinite(String what, float[] values) {
        if (values == null) {
            return;
        }
        int max = 0;
        for (float v : values) {
            max = Math.max(max, Float.floatToRawIntBits(v) & EXPONENT);
        }
        if (max != EXPONENT) {
            return;
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(what + " must be finite at a topology update, got " + values[i]
                        + " at flat index " + i);
            }
        }
    }
}
