package org.rpg4j.regrow;

/**
 * How many positions of one layer a regrowth keeps by magnitude and how many it grows. The new
 * mask has exactly {@code activeCount() = keepCount + growCount} true entries.
 *
 * <p>The reference arithmetic ({@code RigL.py: _rigl_step}), with {@code S} the layer's sparsity
 * after the threshold (zeros / N, a double), {@code N} its size and {@code f} the drop fraction:
 * {@code K = (int) ((1 - S) * N)}, {@code nGrow = (int) ((1 - S) * N * f)},
 * {@code nKeep = K - nGrow}. Note that {@code (int) ((1 - S) * N)} is one less than the
 * {@code N * (1 - S)} survivors of the threshold whenever the double product falls just below the
 * integer (about one case in five): the reference then loses one weight in that layer, and the
 * reference vectors show it. rpg4j reproduces it.
 *
 * @param size layer size {@code N >= 1}
 * @param keepCount {@code nKeep}: positions kept by largest magnitude, {@code >= 0}
 * @param growCount {@code nGrow}: positions grown outside the kept set, {@code >= 0}
 * @param dropFraction drop fraction {@code f} in [0, 1] the counts were derived from
 */
public record RegrowthQuota(int size, int keepCount, int growCount, double dropFraction) {
    /**
     * @param size see {@link #size()}
     * @param keepCount see {@link #keepCount()}
     * @param growCount see {@link #growCount()}
     * @param dropFraction see {@link #dropFraction()}
     * @throws IllegalArgumentException if a count is negative or {@code keepCount + growCount > size}
     */
    public RegrowthQuota {
        if (size < 1) {
            throw new IllegalArgumentException("size must be >= 1, got " + size);
        }
        if (keepCount < 0 || growCount < 0 || (long) keepCount + growCount > size) {
            throw new IllegalArgumentException("keepCount and growCount must be >= 0 with keepCount + growCount "
                    + "<= size (" + size + "), got keepCount=" + keepCount + ", growCount=" + growCount);
        }
        checkFraction(dropFraction);
    }

    /**
     * The reference arithmetic after a re-thresholding update (see the class javadoc).
     *
     * @param size layer size {@code N >= 1}
     * @param layerSparsity {@code S} = zeros / N after the threshold, in [0, 1]
     * @param dropFraction {@code f} in [0, 1]
     * @return the quota
     * @throws IllegalArgumentException if a value is out of range
     */
    public static RegrowthQuota reference(int size, double layerSparsity, double dropFraction) {
        if (!(layerSparsity >= 0.0 && layerSparsity <= 1.0)) {
            throw new IllegalArgumentException("layerSparsity must be in [0, 1], got " + layerSparsity);
        }
        checkFraction(dropFraction);
        int active = (int) ((1 - layerSparsity) * size);
        int grow = (int) ((1 - layerSparsity) * size * dropFraction);
        return new RegrowthQuota(size, active - grow, grow, dropFraction);
    }

    /**
     * The quota of a stationary update (after the target density was reached, no re-threshold):
     * {@code K} = the current active count exactly, {@code nGrow = (int) ((1 - S) * N * f)} with
     * {@code S = (N - K) / N}. The reference instead freezes {@code S} at the last re-thresholding
     * update and recomputes {@code K = (int) ((1 - S) * N)}, which equals the active count it left;
     * taking the count directly avoids losing one weight per update when {@code S} is re-derived
     * from a mask (see the class javadoc). {@code nGrow} can differ from the reference's by one.
     *
     * @param size layer size {@code N >= 1}
     * @param activeCount active positions {@code K} in [0, N]
     * @param dropFraction {@code f} in [0, 1]
     * @return the quota
     */
    public static RegrowthQuota stationary(int size, int activeCount, double dropFraction) {
        if (activeCount < 0 || activeCount > size) {
            throw new IllegalArgumentException("activeCount must be in [0, " + size + "], got " + activeCount);
        }
        checkFraction(dropFraction);
        double sparsity = (double) (size - activeCount) / size;
        int grow = Math.min(activeCount, (int) ((1 - sparsity) * size * dropFraction));
        return new RegrowthQuota(size, activeCount - grow, grow, dropFraction);
    }

    /**
     * @param size layer size {@code N >= 1}
     * @param activeCount positions to keep, in [0, N]
     * @return keep all {@code activeCount}, grow none (no drop and grow)
     */
    public static RegrowthQuota unchanged(int size, int activeCount) {
        return new RegrowthQuota(size, activeCount, 0, 0.0);
    }

    /** @return {@code K = keepCount + growCount}, the active count of the new mask */
    public int activeCount() {
        return keepCount + growCount;
    }

    private static void checkFraction(double dropFraction) {
        if (!(dropFraction >= 0.0 && dropFraction <= 1.0)) {
            throw new IllegalArgumentException("dropFraction must be in [0, 1], got " + dropFraction);
        }
    }
}
