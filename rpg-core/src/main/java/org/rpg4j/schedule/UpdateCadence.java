package org.rpg4j.schedule;

/**
 * When topology updates run. {@code iteration} is the 0-based index of a training iteration; the
 * reference counts {@code step = iteration + 1}. An update runs at the end of iteration {@code i}
 * when {@code (i + 1) % deltaT == 0} and {@code i + 1 < tEnd}; its 0-based update index is
 * {@code r = (i + 1) / deltaT - 1}. So update {@code r} runs at iteration {@code (r + 1) * deltaT - 1}
 * (reference step {@code (r + 1) * deltaT}), and the last update is
 * {@code lastUpdateIndex() = (tEnd - 1) / deltaT - 1}.
 *
 * @param deltaT iterations between updates, {@code >= 1}
 * @param rampUpdates number {@code R >= 1} of updates in the density ramp: update {@code R} is the
 *     first at the target density
 * @param tEnd reference step bound: updates run only while {@code step < tEnd}; {@code > deltaT},
 *     so that at least one update runs
 */
public record UpdateCadence(int deltaT, int rampUpdates, long tEnd) {
    /**
     * @param deltaT see {@link #deltaT()}
     * @param rampUpdates see {@link #rampUpdates()}
     * @param tEnd see {@link #tEnd()}
     * @throws IllegalArgumentException if {@code deltaT < 1}, {@code rampUpdates < 1}, or
     *     {@code tEnd <= deltaT} (no update would run)
     */
    public UpdateCadence {
        if (deltaT < 1) {
            throw new IllegalArgumentException("deltaT must be >= 1, got " + deltaT);
        }
        if (rampUpdates < 1) {
            throw new IllegalArgumentException("rampUpdates must be >= 1, got " + rampUpdates);
        }
        if (tEnd <= deltaT) {
            throw new IllegalArgumentException("tEnd must be > deltaT (" + deltaT + ") so that at least one update "
                    + "runs, got " + tEnd);
        }
        if ((tEnd - 1) / deltaT - 1 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tEnd / deltaT must be below " + Integer.MAX_VALUE + ", got tEnd="
                    + tEnd + ", deltaT=" + deltaT);
        }
    }

    /**
     * The reference's cadence ({@code training.py: train_loop}, {@code RigL.py}):
     * {@code tEnd = floor(tEndFraction * T)}, {@code R = floor(floor(rampEndFraction * T) / deltaT)}.
     * The last update before {@code tEnd} may have {@code r < R}, in which case the target density
     * is never reached (the CIFAR recipe with both fractions 0.8 ends at density
     * {@code D^((R-1)/R)}); use {@link #reachingTarget} to avoid that.
     *
     * @param totalIterations training iterations {@code T}, {@code >= deltaT}
     * @param deltaT iterations between updates, {@code >= 1}
     * @param rampEndFraction fraction of training at which the ramp ends, in (0, 1]
     * @param tEndFraction fraction of training after which updates stop, in (0, 1]
     * @return the cadence
     * @throws IllegalArgumentException if a value is out of range, the ramp is shorter than one
     *     update ({@code R < 1}) or no update runs before {@code tEnd}
     */
    public static UpdateCadence reference(long totalIterations, int deltaT, double rampEndFraction,
                                          double tEndFraction) {
        checkTotals(totalIterations, deltaT, rampEndFraction, tEndFraction);
        long rampEnd = (long) Math.floor(rampEndFraction * totalIterations);
        long ramp = rampEnd / deltaT;
        if (ramp < 1) {
            throw new IllegalArgumentException("rampEndFraction must leave at least deltaT (" + deltaT
                    + ") iterations for the ramp, got " + rampEndFraction + " of totalIterations=" + totalIterations
                    + " = " + rampEnd + " iterations");
        }
        long tEnd = (long) Math.floor(tEndFraction * totalIterations);
        if (tEnd <= deltaT) {
            throw new IllegalArgumentException("tEndFraction must leave room for one update (tEnd > deltaT = "
                    + deltaT + "), got " + tEndFraction + " of totalIterations=" + totalIterations + ": tEnd=" + tEnd);
        }
        return new UpdateCadence(deltaT, (int) Math.min(ramp, Integer.MAX_VALUE), tEnd);
    }

    /**
     * rpg4j's default cadence: the reference's {@code tEnd}, but the ramp length is
     * {@code R = min(R_reference, lastUpdateIndex())}, so the last update before {@code tEnd}
     * always has {@code r >= R} and prunes to the target density exactly. This is the one
     * deliberate difference from the reference, whose last update can fall before the end of its
     * ramp (then its final density is {@code D^((R-1)/R)} instead of {@code D}). With the
     * ImageNet recipe (fractions 0.9 and 0.901) nothing changes: there {@code R < lastUpdateIndex}.
     *
     * @param totalIterations training iterations {@code T}, {@code >= deltaT}
     * @param deltaT iterations between updates, {@code >= 1}
     * @param rampEndFraction fraction of training at which the ramp ends, in (0, 1]
     * @param tEndFraction fraction of training after which updates stop, in (0, 1]
     * @return the cadence
     * @throws IllegalArgumentException as {@link #reference}, or if fewer than two updates run
     *     before {@code tEnd} (update 0 prunes nothing, so a ramp needs {@code R >= 1})
     */
    public static UpdateCadence reachingTarget(long totalIterations, int deltaT, double rampEndFraction,
                                               double tEndFraction) {
        UpdateCadence ref = reference(totalIterations, deltaT, rampEndFraction, tEndFraction);
        int last = ref.lastUpdateIndex();
        if (last < 1) {
            throw new IllegalArgumentException("tEndFraction must leave room for at least 2 updates (update 0 prunes "
                    + "nothing), got " + tEndFraction + " of totalIterations=" + totalIterations + " with deltaT="
                    + deltaT + ": only " + (last + 1) + " update(s) before tEnd=" + ref.tEnd());
        }
        return new UpdateCadence(deltaT, Math.min(ref.rampUpdates(), last), ref.tEnd());
    }

    /**
     * @param iteration the 0-based training iteration, {@code >= 0}
     * @return true when an update runs at the end of this 0-based iteration ({@code >= 0})
     */
    public boolean isUpdateIteration(long iteration) {
        long step = step(iteration);
        return step % deltaT == 0 && step < tEnd;
    }

    /**
     * @param iteration the 0-based training iteration, {@code >= 0}
     * @return the 0-based update index of this iteration, or -1 if no update runs at it
     */
    public int updateIndex(long iteration) {
        return isUpdateIteration(iteration) ? (int) (step(iteration) / deltaT - 1) : -1;
    }

    /**
     * @param iteration 0-based iteration, {@code >= 0}
     * @return the reference's step counter after that iteration: {@code iteration + 1}
     * @throws IllegalArgumentException if {@code iteration < 0}
     */
    public long step(long iteration) {
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must be >= 0, got " + iteration);
        }
        return iteration + 1;
    }

    /** @return the index of the last update: {@code (tEnd - 1) / deltaT - 1}, {@code >= 0} */
    public int lastUpdateIndex() {
        return (int) ((tEnd - 1) / deltaT - 1);
    }

    /**
     * @param updateIndex 0-based update index in [0, lastUpdateIndex()]
     * @return the 0-based iteration at whose end it runs: {@code (updateIndex + 1) * deltaT - 1}
     * @throws IllegalArgumentException if the index is out of range
     */
    public long iterationOfUpdate(int updateIndex) {
        if (updateIndex < 0 || updateIndex > lastUpdateIndex()) {
            throw new IllegalArgumentException("updateIndex must be in [0, " + lastUpdateIndex() + "], got "
                    + updateIndex);
        }
        return (updateIndex + 1L) * deltaT - 1;
    }

    /**
     * @param iteration 0-based iteration, {@code >= -1} (-1: before training)
     * @return how many updates have run once this iteration has completed
     */
    public int completedUpdates(long iteration) {
        if (iteration < -1) {
            throw new IllegalArgumentException("iteration must be >= -1, got " + iteration);
        }
        return (int) Math.min((iteration + 1) / deltaT, lastUpdateIndex() + 1L);
    }

    /** @return true when the last update has {@code r >= rampUpdates}, i.e. reaches the ramp's end */
    public boolean reachesRampEnd() {
        return lastUpdateIndex() >= rampUpdates;
    }

    private static void checkTotals(long totalIterations, int deltaT, double rampEndFraction, double tEndFraction) {
        if (deltaT < 1) {
            throw new IllegalArgumentException("deltaT must be >= 1, got " + deltaT);
        }
        if (totalIterations < deltaT) {
            throw new IllegalArgumentException("totalIterations must be >= deltaT (" + deltaT + "), got "
                    + totalIterations);
        }
        if (!(rampEndFraction > 0 && rampEndFraction <= 1)) {
            throw new IllegalArgumentException("rampEndFraction must be in (0, 1], got " + rampEndFraction);
        }
        if (!(tEndFraction > 0 && tEndFraction <= 1)) {
            throw new IllegalArgumentException("tEndFraction must be in (0, 1], got " + tEndFraction);
        }
    }
}
