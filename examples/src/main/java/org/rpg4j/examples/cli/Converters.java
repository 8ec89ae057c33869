package org.rpg4j.examples.cli;

import java.util.Locale;
import org.rpg4j.examples.data.DatasetKind;
import org.rpg4j.examples.models.LayerImpl;
import org.rpg4j.examples.models.ModelKind;
import org.rpg4j.examples.train.Method;
import org.rpg4j.mask.LayerBudget;
import org.rpg4j.prune.LayerSelection;
import org.rpg4j.prune.PruningConfigException;
import org.rpg4j.prune.RankLayers;
import org.rpg4j.schedule.UpdatePlacement;
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
                throw new TypeConversionException("expected auto, none or crop-flip but was '" + value + "'");
            }
            return v;
        }
    }

    static final class RankLayerChoice implements ITypeConverter<RankLayers> {
        @Override
        public RankLayers convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "conv" -> RankLayers.CONVOLUTIONS;
                case "all" -> RankLayers.ALL_PRUNABLE;
                default -> throw new TypeConversionException("expected conv or all but was '" + value + "'");
            };
        }
    }

    static final class Budget implements ITypeConverter<LayerBudget> {
        @Override
        public LayerBudget convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "global" -> LayerBudget.GLOBAL;
                case "uniform" -> LayerBudget.UNIFORM;
                case "erk" -> LayerBudget.ERK;
                default -> throw new TypeConversionException("expected global, uniform or erk but was '" + value + "'");
            };
        }
    }

    static final class Placement implements ITypeConverter<UpdatePlacement> {
        @Override
        public UpdatePlacement convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "reaching-target" -> UpdatePlacement.REACHING_TARGET;
                case "reference" -> UpdatePlacement.REFERENCE;
                default -> throw new TypeConversionException("expected reaching-target or reference but was '" + value
                        + "'");
            };
        }
    }

    /** {@code REGEX=S}: the last {@code =} separates the layer-name regular expression from the cap. */
    static final class Cap implements ITypeConverter<LayerSelection.SparsityCap> {
        @Override
        public LayerSelection.SparsityCap convert(String value) {
            int eq = value.lastIndexOf('=');
            if (eq <= 0) {
                throw new TypeConversionException("expected REGEX=S (a layer-name regular expression, '=', a maximum "
                        + "sparsity in [0, 1]) but was '" + value + "'");
            }
            double cap;
            try {
                cap = Double.parseDouble(value.substring(eq + 1));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("expected a number after '=' but was '" + value + "'");
            }
            try {
                return new LayerSelection.SparsityCap(value.substring(0, eq), cap);
            } catch (PruningConfigException e) {
                throw new TypeConversionException(e.message(setting -> "the maximum sparsity") + " in '" + value + "'");
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
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
