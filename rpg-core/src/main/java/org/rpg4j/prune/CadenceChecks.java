package org.rpg4j.prune;

import org.rpg4j.schedule.UpdateCadence;
import org.rpg4j.schedule.UpdatePlacement;

/**
 * The conditions {@link UpdateCadence} needs, checked before it is built so that the message uses
 * the builder's settings ({@code updateEndFraction}, not the cadence's {@code tEnd}) and says what
 * to change.
 */
final class CadenceChecks {
    private CadenceChecks() {}

    /**
     * @throws PruningConfigException naming the first setting that does not give a valid cadence
     */
    static void check(long totalIterations, int deltaT, double rampEndFraction, double updateEndFraction,
                      UpdatePlacement placement) {
        Checks.atLeast("totalIterations", totalIterations, 1);
        Checks.atLeast("deltaT", deltaT, 1);
        if (totalIterations < deltaT) {
            throw new PruningConfigException("{deltaT} (" + deltaT + ") is larger than {totalIterations} ("
                    + totalIterations + "): lower {deltaT} to at most " + totalIterations + " or train longer");
        }
        fraction("rampEndFraction", rampEndFraction);
        fraction("updateEndFraction", updateEndFraction);
        if (updateEndFraction < rampEndFraction) {
            throw new PruningConfigException("{updateEndFraction} (" + updateEndFraction + ") is below "
                    + "{rampEndFraction} (" + rampEndFraction + "): updates must run until the ramp ends; raise "
                    + "{updateEndFraction} or lower {rampEndFraction}");
        }
        long rampEnd = (long) Math.floor(rampEndFraction * totalIterations);
        if (rampEnd / deltaT < 1) {
            throw new PruningConfigException("{rampEndFraction} (" + rampEndFraction + ") of {totalIterations} ("
                    + totalIterations + ") is " + rampEnd + " iterations, shorter than {deltaT} (" + deltaT
                    + "): the ramp needs at least one update; raise {rampEndFraction} or lower {deltaT}");
        }
        long tEnd = (long) Math.floor(updateEndFraction * totalIterations);
        long updates = tEnd < 1 ? 0 : (tEnd - 1) / deltaT;
        if (updates < placement.minimumUpdates()) {
            throw new PruningConfigException("{updateEndFraction} (" + updateEndFraction + ") of {totalIterations} ("
                    + totalIterations + ") leaves room for " + updates + " topology update(s) every {deltaT} ("
                    + deltaT + ") iterations before iteration " + tEnd + "; {updatePlacement} " + placement
                    + " needs at least "
                    + placement.minimumUpdates() + (placement.minimumUpdates() > 1 ? " (update 0 prunes nothing)" : "")
                    + ": " + remedy(tEnd, placement.minimumUpdates()));
        }
    }

    /** @return what to change: the largest deltaT that fits {@code updates} updates before {@code tEnd}, if any */
    private static String remedy(long tEnd, int updates) {
        long maxDeltaT = tEnd < 1 ? 0 : (tEnd - 1) / updates;
        String longer = "raise {updateEndFraction} or {totalIterations}";
        return maxDeltaT >= 1 ? "lower {deltaT} to at most " + maxDeltaT + ", or " + longer : longer;
    }

    private static void fraction(String name, double value) {
        if (!(value > 0 && value <= 1)) {
            throw new PruningConfigException("{" + name + "} must be in (0, 1], got " + value);
        }
    }
}
