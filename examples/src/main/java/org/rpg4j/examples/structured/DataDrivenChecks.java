package org.rpg4j.examples.structured;

import org.rpg4j.dl4j.structured.RankingScope;
import org.rpg4j.examples.cli.Options;
import org.rpg4j.examples.datadriven.DataDrivenOptions;
import org.rpg4j.examples.train.Method;

/**
 * Checks of the data-driven options ({@code --stat-batches}, {@code --samples},
 * {@code --dropnet-rounds}, {@code --dropnet-weights}) and of the structured options that do not fit
 * a data-driven method, before anything is loaded. Each message names the option as typed, its value
 * or the method, and what to change.
 */
final class DataDrivenChecks {
    private DataDrivenChecks() {}

    /**
     * @param o the parsed options
     * @throws IllegalArgumentException naming the first option that does not fit the method
     */
    static void check(Options o) {
        DataDrivenOptions d = o.dataDriven;
        Method m = o.method;
        onlyFor("--stat-batches", d.statBatches, m.dataDriven(), "--method hrank, dropnet and channel-pruning", m);
        onlyFor("--samples", d.samples, m == Method.CHANNEL_PRUNING, "--method channel-pruning", m);
        onlyFor("--dropnet-rounds", d.dropnetRounds, m == Method.DROPNET, "--method dropnet", m);
        onlyFor("--dropnet-weights", d.dropnetWeights, m == Method.DROPNET, "--method dropnet", m);
        atLeastOne("--stat-batches", d.statBatches);
        atLeastOne("--samples", d.samples);
        atLeastOne("--dropnet-rounds", d.dropnetRounds);
        if (!m.dataDriven()) {
            return;
        }
        String when = m == Method.DROPNET ? "which drops channels in --dropnet-rounds rounds during training"
                : "which removes channels once, after training";
        for (String option : new String[] {"--channel-schedule", "--channel-updates"}) {
            if (option.equals("--channel-schedule") ? o.structured.channelSchedule != null
                    : o.structured.channelUpdates != null) {
                throw new IllegalArgumentException(option + " applies to --method l1-filter, l2-filter, slimming and "
                        + "ssl only, not to --method " + m.cliName() + ", " + when + ": drop " + option);
            }
        }
        if (m == Method.CHANNEL_PRUNING && o.structured.channelScope == RankingScope.GLOBAL) {
            throw new IllegalArgumentException("--channel-scope global does not apply to --method channel-pruning, "
                    + "which chooses each layer's input channels by reconstructing that layer's output: give "
                    + "--channel-scope per-layer or drop it");
        }
    }

    private static void onlyFor(String option, Object value, boolean applies, String methods, Method method) {
        if (value != null && !applies) {
            throw new IllegalArgumentException(option + " applies to " + methods + " only, not to --method "
                    + method.cliName() + ": drop " + option);
        }
    }

    private static void atLeastOne(String option, Integer value) {
        if (value != null && value < 1) {
            throw new IllegalArgumentException(option + " must be >= 1, got " + value);
        }
    }
}
