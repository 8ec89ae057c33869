package org.rpg4j.sparse.kernel;

/** An element-wise activation a sparse kernel applies to its output before storing it. */
public enum FusedActivation {
    /** {@code y = x}. */
    IDENTITY,
    /** {@code y = max(0, x)}. */
    RELU;

    /**
     * Applies the activation in place.
     *
     * @param values modified: {@code values[from .. from + length)}
     * @param from first index
     * @param length number of entries
     */
    void applyInPlace(float[] values, int from, int length) {
        if (this == RELU) {
            for (int i = from; i < from + length; i++) {
                values[i] = Math.max(values[i], 0.0f);
            }
        }
    }
}
