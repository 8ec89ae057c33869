package org.rpg4j.examples.cli;

import java.util.Locale;
import org.rpg4j.examples.data.DatasetKind;
import org.rpg4j.examples.models.LayerImpl;
import org.rpg4j.examples.models.ModelKind;
import org.rpg4j.examples.train.Method;
import org.rpg4j.mask.LayerBudget;
import org.rpg4j.prune.RankLayers;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters from command-line names ({@code small-cnn}, {@code rpg-reg}) to enums. */
final class Converters {
    private Converters() {}

    static final class Model implements ITypeConverter<ModelKind> {
        @Override
        public ModelKind convert(String value) {
            return wrap(() -> ModelKind.fromCliName(value));
        }
    }

    static final class Dataset implements ITypeConverter<DatasetKind> {
        @Override
        public DatasetKind convert(String value) {
            return wrap(() -> DatasetKind.fromCliName(value));
        }
    }

    static final class Methods implements ITypeConverter<Method> {
        @Override
        public Method convert(String value) {
            return wrap(() -> Method.fromCliName(value));
        }
    }

    static final class Layers implements ITypeConverter<LayerImpl> {
        @Override
        public LayerImpl convert(String value) {
            return wrap(() -> LayerImpl.fromCliName(value));
        }
    }

    static final class Augment implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String v = value.toLowerCase(Locale.ROOT);
            if (!v.equals("auto") && !v.equals("none") && !v.equals("crop-flip")) {
                throw new TypeConversionException("augment must be auto, none or crop-flip; got " + value);
            }
            return v;
        }
    }

    static final class Budget implements ITypeConverter<LayerBudget> {
        @Override
        public LayerBudget convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "global" -> LayerBudget.GLOBAL;
                case "uniform" -> LayerBudget.UNIFORM;
                case "erk" -> LayerBudget.ERK;
                default -> throw new TypeConversionException("budget must be global, uniform or erk; got " + value);
            };
        }
    }

    static final class RankLayerChoice implements ITypeConverter<RankLayers> {
        @Override
        public RankLayers convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "conv" -> RankLayers.CONVOLUTIONS;
                case "all" -> RankLayers.ALL_PRUNABLE;
                default -> throw new TypeConversionException("rank-layers must be conv or all; got " + value);
            };
        }
    }

    private static <T> T wrap(java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
