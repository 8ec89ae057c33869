package org.rpg4j.examples.structured;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.rpg4j.dl4j.structured.RankingScope;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The options of the structured methods ({@code --method l1-filter|l2-filter|slimming|ssl} and the
 * data-driven ones, whose own options are {@code DataDrivenOptions}), a picocli
 * mixin of {@code Options}. Every field is null until given, so that {@link StructuredChecks} can tell
 * an option the user typed from a default and reject it where it does not apply; the resolved values
 * (defaults per method) come from the {@code resolved...} methods.
 */
public final class StructuredOptions {
    /** Fine-tuning epochs when {@code --fine-tune-epochs} is not given. */
    public static final int DEFAULT_FINE_TUNE_EPOCHS = 1;
    /** Pruning updates of a gradual schedule when {@code --channel-updates} is not given. */
    public static final int DEFAULT_CHANNEL_UPDATES = 10;

    /** Fraction of the prunable channels removed, in [0, 1). */
    @Option(names = "--channel-sparsity", paramLabel = "R",
            description = "structured methods: fraction of the prunable channels removed, in [0, 1) (required with "
                    + "every structured --method)")
    public Double channelSparsity;

    /** Where channels compete: per layer or globally. */
    @Option(names = "--channel-scope", converter = ScopeConverter.class, paramLabel = "per-layer|global",
            description = "structured methods: channels ranked per layer (each layer loses R) or globally (default: "
                    + "global for slimming, per-layer otherwise)")
    public RankingScope channelScope;

    /** One-shot after training, or gradual during training. */
    @Option(names = "--channel-schedule", converter = ScheduleConverter.class,
            paramLabel = "one-shot|cubic|linear|exponential",
            description = "structured methods: remove the channels once after training, or gradually along a density "
                    + "ramp during the first 75 %% of training (default: one-shot)")
    public ChannelSchedule channelSchedule;

    /** Updates of a gradual schedule. */
    @Option(names = "--channel-updates", paramLabel = "N",
            description = "structured methods, gradual schedule: pruning updates until the target (default: "
                    + DEFAULT_CHANNEL_UPDATES + ")")
    public Integer channelUpdates;

    /** Penalty weight lambda of slimming and ssl. */
    @Option(names = "--penalty", paramLabel = "LAMBDA",
            description = "slimming and ssl: penalty weight lambda, applied as a step --lr * lambda after each "
                    + "iteration (default: 1e-4 for both)")
    public Double penalty;

    /** Fine-tuning epochs of the shrunk network. */
    @Option(names = "--fine-tune-epochs", paramLabel = "N",
            description = "structured methods: epochs of fine-tuning the shrunk network, continuing the cosine "
                    + "schedule (default: " + DEFAULT_FINE_TUNE_EPOCHS + "; 0 = none)")
    public Integer fineTuneEpochs;

    /** Training the shrunk architecture from scratch. */
    @Option(names = "--from-scratch", converter = ScratchConverter.class, paramLabel = "none|scratch-e|scratch-b|both",
            description = "structured methods: also train the shrunk architecture from a fresh initialisation for "
                    + "--epochs (scratch-e), for the same multiply-adds, at most 2x --epochs (scratch-b), or both "
                    + "(default: none)")
    public FromScratch fromScratch;

    /** The command this mixin belongs to, for {@link #typed}; null when the options were not parsed. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /**
     * @param option an option name such as {@code --sparsity}
     * @return whether the user typed it on the command line (false when the options were set in code)
     */
    public boolean typed(String option) {
        ParseResult parsed = command == null ? null : command.commandLine().getParseResult();
        return parsed != null && parsed.hasMatchedOption(option);
    }

    /** @return {@code --channel-sparsity}, or NaN when not given */
    public double resolvedChannelSparsity() {
        return channelSparsity == null ? Double.NaN : channelSparsity;
    }

    /**
     * @param method the structured method
     * @return the ranking scope given, or the method's default
     */
    public RankingScope resolvedScope(StructuredMethod method) {
        return channelScope == null ? method.defaultScope() : channelScope;
    }

    /** @return the channel schedule given, or one-shot */
    public ChannelSchedule resolvedSchedule() {
        return channelSchedule == null ? ChannelSchedule.ONE_SHOT : channelSchedule;
    }

    /** @return the gradual schedule's updates given, or the default */
    public int resolvedChannelUpdates() {
        return channelUpdates == null ? DEFAULT_CHANNEL_UPDATES : channelUpdates;
    }

    /**
     * @param method the structured method
     * @return lambda given, or the method's default (0 without a penalty)
     */
    public double resolvedPenalty(StructuredMethod method) {
        return penalty == null ? method.defaultPenalty() : penalty;
    }

    /** @return fine-tuning epochs given, or the default */
    public int resolvedFineTuneEpochs() {
        return fineTuneEpochs == null ? DEFAULT_FINE_TUNE_EPOCHS : fineTuneEpochs;
    }

    /** @return the from-scratch choice given, or none */
    public FromScratch resolvedFromScratch() {
        return fromScratch == null ? FromScratch.NONE : fromScratch;
    }

    /** @return the options the user gave, by long name without dashes, for results.json */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("channelSparsity", channelSparsity);
        m.put("channelScope", channelScope == null ? null : ScopeConverter.cliName(channelScope));
        m.put("channelSchedule", channelSchedule == null ? null : channelSchedule.cliName());
        m.put("channelUpdates", channelUpdates);
        m.put("penalty", penalty);
        m.put("fineTuneEpochs", fineTuneEpochs);
        m.put("fromScratch", fromScratch == null ? null : fromScratch.cliName());
        return m;
    }

    /** {@code per-layer} or {@code global}. */
    static final class ScopeConverter implements ITypeConverter<RankingScope> {
        @Override
        public RankingScope convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "per-layer" -> RankingScope.PER_GROUP;
                case "global" -> RankingScope.GLOBAL;
                default -> throw new TypeConversionException("expected per-layer or global but was '" + value + "'");
            };
        }

        static String cliName(RankingScope scope) {
            return scope == RankingScope.GLOBAL ? "global" : "per-layer";
        }
    }

    /** A {@link ChannelSchedule} by its command-line name. */
    static final class ScheduleConverter implements ITypeConverter<ChannelSchedule> {
        @Override
        public ChannelSchedule convert(String value) {
            try {
                return ChannelSchedule.fromCliName(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A {@link FromScratch} by its command-line name. */
    static final class ScratchConverter implements ITypeConverter<FromScratch> {
        @Override
        public FromScratch convert(String value) {
            try {
                return FromScratch.fromCliName(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
