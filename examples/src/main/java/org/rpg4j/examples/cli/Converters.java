package org.rpg4j.examples.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.rpg4j.examples.data.DatasetKind;
import org.rpg4j.examples.models.LayerImpl;
import org.rpg4j.examples.models.ModelKind;
import org.rpg4j.examples.train.Method;
import org.rpg4j.mask.LayerBudget;
import org.rpg4j.prune.LayerSelection;
import org.rpg4j.prune.PruningConfigException;
import org.rpg4j.prune.RankLayers;
import org.rpg4j.prune.UnsupportedLayerPolicy;
import org.rpg4j.schedule.ScheduleKind;
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

    /**
     * A converter that also writes a value back as the text it parses, so that a pruning option's value
     * can be rendered as a command line ({@link PruningOptions#arguments}) generically.
     *
     * @param <T> the converted type
     */
    interface Reversible<T> extends ITypeConverter<T> {
        /**
         * @param value a value of this converter's type, as read from an option field
         * @return the command-line text that {@link #convert} turns back into {@code value}
         */
        String formatValue(Object value);
    }

    /**
     * An enum whose command-line names are its constants in lower case with {@code -} for {@code _}
     * ({@code REACHING_TARGET} is {@code reaching-target}); any case is accepted.
     *
     * @param <E> the enum
     */
    abstract static class KebabEnum<E extends Enum<E>> implements Reversible<E> {
        private final Class<E> type;

        KebabEnum(Class<E> type) {
            this.type = type;
        }

        @Override
        public E convert(String value) {
            for (E e : type.getEnumConstants()) {
                if (token(e).equalsIgnoreCase(value)) {
                    return e;
                }
            }
            List<String> names = Arrays.stream(type.getEnumConstants()).map(KebabEnum::token).toList();
            throw new TypeConversionException("expected " + String.join(", ", names.subList(0, names.size() - 1))
                    + " or " + names.get(names.size() - 1) + " but was '" + value + "'");
        }

        @Override
        public String formatValue(Object value) {
            return token(type.cast(value));
        }

        private static String token(Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    static final class RankLayerChoice implements Reversible<RankLayers> {
        @Override
        public RankLayers convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "conv" -> RankLayers.CONVOLUTIONS;
                case "all" -> RankLayers.ALL_PRUNABLE;
                default -> throw new TypeConversionException("expected conv or all but was '" + value + "'");
            };
        }

        @Override
        public String formatValue(Object value) {
            return value == RankLayers.CONVOLUTIONS ? "conv" : "all";
        }
    }

    static final class Budget extends KebabEnum<LayerBudget> {
        Budget() {
            super(LayerBudget.class);
        }
    }

    static final class Placement extends KebabEnum<UpdatePlacement> {
        Placement() {
            super(UpdatePlacement.class);
        }
    }

    static final class Schedule extends KebabEnum<ScheduleKind> {
        Schedule() {
            super(ScheduleKind.class);
        }
    }

    static final class Unsupported extends KebabEnum<UnsupportedLayerPolicy> {
        Unsupported() {
            super(UnsupportedLayerPolicy.class);
        }
    }

    /** {@code REGEX=S}: the last {@code =} separates the layer-name regular expression from the cap. */
    static final class Cap implements Reversible<LayerSelection.SparsityCap> {
        @Override
        public String formatValue(Object value) {
            LayerSelection.SparsityCap cap = (LayerSelection.SparsityCap) value;
            return cap.nameRegex() + "=" + cap.maxSparsity();
        }

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
