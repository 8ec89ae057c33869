package org.rpg4j.examples.structured;

import java.util.List;
import org.rpg4j.examples.cli.Options;
import org.rpg4j.examples.train.Method;

/**
 * Checks of the structured options against the method, before anything is loaded. Each message
 * names the option as typed, its value and what to change: a structured option with an unstructured
 * method, {@code --sparsity} with a structured one, a channel sparsity outside [0, 1); the
 * data-driven options are checked by {@link DataDrivenChecks}.
 */
public final class StructuredChecks {
    private static final String STRUCTURED = "the structured methods (--method l1-filter, l2-filter, slimming, ssl, "
            + "hrank, dropnet or channel-pruning)";
    /** Options of the unstructured runs that a structured run does not support. */
    private static final List<String> UNSTRUCTURED_ONLY = List.of("--sparsity", "--export-sparse", "--resume",
            "--checkpoint-every", "--init-from");

    private StructuredChecks() {}

    /**
     * @param o the parsed options
     * @throws IllegalArgumentException naming the first option that does not fit the method
     */
    public static void check(Options o) {
        StructuredOptions s = o.structured;
        DataDrivenChecks.check(o);
        if (!o.method.structured()) {
            rejectGiven("--channel-sparsity", s.channelSparsity, o.method);
            rejectGiven("--channel-scope", s.channelScope, o.method);
            rejectGiven("--channel-schedule", s.channelSchedule, o.method);
            rejectGiven("--channel-updates", s.channelUpdates, o.method);
            rejectGiven("--penalty", s.penalty, o.method);
            rejectGiven("--fine-tune-epochs", s.fineTuneEpochs, o.method);
            rejectGiven("--from-scratch", s.fromScratch, o.method);
            return;
        }
        String method = "--method " + o.method.cliName();
        for (String option : UNSTRUCTURED_ONLY) {
            if (s.typed(option)) {
                throw new IllegalArgumentException(option + " applies to the unstructured methods only, not to "
                        + method
                        + (option.equals("--sparsity") ? ", which removes whole channels: give --channel-sparsity R "
                                + "(the fraction of prunable channels removed) instead" : ": drop " + option));
            }
        }
        if (s.channelSparsity == null) {
            throw new IllegalArgumentException(method
                    + " needs --channel-sparsity R, the fraction of prunable channels "
                    + "removed, in [0, 1)");
        }
        if (!(s.channelSparsity >= 0 && s.channelSparsity < 1)) {
            throw new IllegalArgumentException("--channel-sparsity must be in [0, 1), got " + s.channelSparsity);
        }
        checkPenalty(s, StructuredMethod.of(o.method), method);
        if (s.fineTuneEpochs != null && s.fineTuneEpochs < 0) {
            throw new IllegalArgumentException("--fine-tune-epochs must be >= 0 (0 = none), got " + s.fineTuneEpochs);
        }
        if (s.channelUpdates != null && s.resolvedSchedule() == ChannelSchedule.ONE_SHOT) {
            throw new IllegalArgumentException("--channel-updates applies to a gradual --channel-schedule (cubic, "
                    + "linear or exponential), not to one-shot");
        }
        if (s.channelUpdates != null && s.channelUpdates < 1) {
            throw new IllegalArgumentException("--channel-updates must be >= 1, got " + s.channelUpdates);
        }
    }

    private static void checkPenalty(StructuredOptions s, StructuredMethod structured, String method) {
        if (s.penalty == null) {
            return;
        }
        if (!structured.hasPenalty()) {
            throw new IllegalArgumentException("--penalty applies to --method slimming and ssl only, not to " + method
                    + ", which applies no penalty during training");
        }
        if (!(s.penalty >= 0) || Double.isInfinite(s.penalty)) {
            throw new IllegalArgumentException("--penalty must be finite and >= 0, got " + s.penalty);
        }
    }

    private static void rejectGiven(String option, Object value, Method method) {
        if (value != null) {
            throw new IllegalArgumentException(option + " applies to " + STRUCTURED + " only, not to --method "
                    + method.cliName() + (option.equals("--channel-sparsity") ? "; its target is --sparsity" : ""));
        }
    }
}
