package org.rpg4j.examples.datadriven;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.rpg4j.dl4j.structured.data.WeightReset;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options of the data-driven structured methods ({@code --method hrank|dropnet|channel-pruning}),
 * a picocli mixin of {@code Options}. Every field is null until given, so that the structured checks
 * can reject an option given to a method it does not apply to; the {@code resolved...} methods give
 * the defaults. Fields are public and mutable for picocli.
 */
public final class DataDrivenOptions {
    /** Batches of training images read for the statistics when {@code --stat-batches} is not given. */
    public static final int DEFAULT_STAT_BATCHES = 10;
    /** Sampled patch rows per layer of Channel Pruning when {@code --samples} is not given. */
    public static final int DEFAULT_SAMPLES = 4000;
    /** DropNet rounds when {@code --dropnet-rounds} is not given. */
    public static final int DEFAULT_DROPNET_ROUNDS = 3;

    /** Batches read for the statistics. */
    @Option(names = "--stat-batches", paramLabel = "N",
            description = "hrank, dropnet, channel-pruning: batches of --batch-size training images (not augmented) "
                    + "read for the activation statistics, >= 1 (default: " + DEFAULT_STAT_BATCHES + ")")
    public Integer statBatches;

    /** Sampled patch rows per layer of Channel Pruning. */
    @Option(names = "--samples", paramLabel = "N",
            description = "channel-pruning: input patches sampled per reconstructed layer for the LASSO selection "
                    + "and the least-squares refit, >= 1 (default: " + DEFAULT_SAMPLES + ")")
    public Integer samples;

    /** DropNet rounds. */
    @Option(names = "--dropnet-rounds", paramLabel = "N",
            description = "dropnet: drop rounds, spread evenly over the first 75 %% of training, each removing the "
                    + "same fraction of the survivors, >= 1 (default: " + DEFAULT_DROPNET_ROUNDS + ")")
    public Integer dropnetRounds;

    /** What DropNet does to the surviving weights after each round. */
    @Option(names = "--dropnet-weights", converter = WeightsConverter.class, paramLabel = "keep|reset",
            description = "dropnet: after each round the survivors keep their trained weights (keep) or restart "
                    + "from their initial values with a fresh optimiser state (reset) (default: keep)")
    public WeightReset dropnetWeights;

    /** @return {@code --stat-batches} given, or the default */
    public int resolvedStatBatches() {
        return statBatches == null ? DEFAULT_STAT_BATCHES : statBatches;
    }

    /** @return {@code --samples} given, or the default */
    public int resolvedSamples() {
        return samples == null ? DEFAULT_SAMPLES : samples;
    }

    /** @return {@code --dropnet-rounds} given, or the default */
    public int resolvedDropnetRounds() {
        return dropnetRounds == null ? DEFAULT_DROPNET_ROUNDS : dropnetRounds;
    }

    /** @return {@code --dropnet-weights} given, or keep */
    public WeightReset resolvedDropnetWeights() {
        return dropnetWeights == null ? WeightReset.KEEP : dropnetWeights;
    }

    /** @return the options the user gave, by long name without dashes, for results.json */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("statBatches", statBatches);
        m.put("samples", samples);
        m.put("dropnetRounds", dropnetRounds);
        m.put("dropnetWeights", dropnetWeights == null ? null : WeightsConverter.cliName(dropnetWeights));
        return m;
    }

    /** {@code keep} or {@code reset}. */
    public static final class WeightsConverter implements ITypeConverter<WeightReset> {
        @Override
        public WeightReset convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "keep" -> WeightReset.KEEP;
                case "reset" -> WeightReset.RESET_TO_INITIAL;
                default -> throw new TypeConversionException("expected keep or reset but was '" + value + "'");
            };
        }

        /**
         * @param reset a choice
         * @return its command-line name
         */
        public static String cliName(WeightReset reset) {
            return reset == WeightReset.KEEP ? "keep" : "reset";
        }
    }
}
