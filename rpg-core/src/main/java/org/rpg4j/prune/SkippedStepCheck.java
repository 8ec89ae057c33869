package org.rpg4j.prune;

import java.util.Locale;
import org.rpg4j.regrow.RegrowthKind;

/**
 * The optimizer steps a run's topology updates take the place of. The reference skips the optimizer
 * step of every update that regrows (that iteration's gradient, with the rank loss, only scores the
 * regrowth), and so do rpg4j's DL4J seams; with {@code deltaT = 1} that is every iteration until
 * {@code updateEndFraction}, and the network does not train while it is pruned. This check refuses a
 * configuration that skips more than {@link PruningConfig#MAX_SKIPPED_STEP_FRACTION} of its steps.
 */
final class SkippedStepCheck {
    private SkippedStepCheck() {}

    /**
     * @param regrowth the regrowth kind
     * @param alpha the initial drop fraction
     * @return whether an update skips its iteration's optimizer step: it regrows ({@code regrowth}
     *     not NONE and {@code alpha > 0})
     */
    static boolean skipsStep(RegrowthKind regrowth, double alpha) {
        return regrowth != RegrowthKind.NONE && alpha > 0;
    }

    /**
     * @param config a configuration whose other settings are valid
     * @throws PruningConfigException naming {@code deltaT}, its value, how many steps it skips and
     *     what is allowed, if more than {@link PruningConfig#MAX_SKIPPED_STEP_FRACTION} of the
     *     iterations are skipped
     */
    static void check(PruningConfig config) {
        long skipped = config.skippedSteps();
        long total = config.totalIterations();
        if (skipped <= PruningConfig.MAX_SKIPPED_STEP_FRACTION * total) {
            return;
        }
        throw new PruningConfigException(String.format(Locale.ROOT, "{deltaT} (%d) skips the optimizer step at %d of "
                + "the %d iterations of {totalIterations} (%.1f %%): with regrowth ({regrowth} %s, {alpha} %s) each "
                + "topology update takes the place of its iteration's step, as in the reference, so the network would "
                + "hardly train while it is pruned; allowed: at most %.0f %% of the iterations skipped. Raise {deltaT} "
                + "(from %d on, under %.0f %% are skipped) or lower {updateEndFraction}; {regrowth} NONE or {alpha} 0 "
                + "skips no step", config.deltaT(), skipped, total, 100.0 * skipped / total, config.regrowth(),
                config.alpha(), 100 * PruningConfig.MAX_SKIPPED_STEP_FRACTION, quietDeltaT(),
                100 * PruningConfig.WARN_SKIPPED_STEP_FRACTION));
    }

    /**
     * @return the smallest deltaT that skips under {@link PruningConfig#WARN_SKIPPED_STEP_FRACTION} of
     *     any run: updates {@code <= (T - 1) / deltaT < T / deltaT}
     */
    static int quietDeltaT() {
        return (int) Math.ceil(1 / PruningConfig.WARN_SKIPPED_STEP_FRACTION);
    }
}
