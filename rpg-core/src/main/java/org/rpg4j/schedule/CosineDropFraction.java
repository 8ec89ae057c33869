package org.rpg4j.schedule;

/**
 * The fraction of each layer's active weights dropped (and regrown) at a topology update, decayed
 * with a cosine over {@code tEnd} as in the reference ({@code RigL.py: cosine_annealing}):
 * {@code f = alpha / 2 * (1 + cos(pi * step / tEnd))} with {@code step = iteration + 1}, evaluated
 * in that operation order with {@link Math#cos} so that it matches the reference's numpy value.
 *
 * @param alpha drop fraction at step 0, in [0, 1] (reference 0.3; 0 switches regrowth off)
 * @param tEnd step bound of the topology updates ({@link UpdateCadence#tEnd()}), {@code >= 1}
 */
public record CosineDropFraction(double alpha, long tEnd) {
    /**
     * @param alpha see {@link #alpha()}
     * @param tEnd see {@link #tEnd()}
     * @throws IllegalArgumentException if {@code alpha} is outside [0, 1] or {@code tEnd < 1}
     */
    public CosineDropFraction {
        if (!(alpha >= 0.0 && alpha <= 1.0)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        if (tEnd < 1) {
            throw new IllegalArgumentException("tEnd must be >= 1, got " + tEnd);
        }
    }

    /**
     * @param iteration 0-based iteration, {@code >= 0}; the reference's {@code step} is {@code iteration + 1}
     * @return the drop fraction in [0, alpha] for an update at the end of this iteration
     * @throws IllegalArgumentException if {@code iteration < 0}
     */
    public double at(long iteration) {
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must be >= 0, got " + iteration);
        }
        long step = iteration + 1;
        return alpha / 2 * (1 + Math.cos((step * Math.PI) / tEnd));
    }
}
