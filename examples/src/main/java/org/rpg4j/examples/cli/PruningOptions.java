package org.rpg4j.examples.cli;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.rpg4j.mask.LayerBudget;
import org.rpg4j.prune.LayerSelection;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.PruningDefaults;
import org.rpg4j.prune.RankLayers;
import org.rpg4j.prune.RankLoss;
import org.rpg4j.prune.UnsupportedLayerPolicy;
import org.rpg4j.schedule.ScheduleKind;
import org.rpg4j.schedule.UpdatePlacement;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The pruning options of the examples and the study: a thin picocli mixin over
 * {@link PruningConfig.Builder} (the target sparsity is the run's {@code --sparsity}, or the study's
 * {@code --sparsities}). Each default comes from {@link PruningDefaults} (declared once, in
 * rpg-core); validation is the builder's. Each field is named after the builder setting it sets:
 * {@link #applyTo} calls that setting by reflection, {@link #copy}, {@link #arguments} and
 * {@link #asMap} read the annotated fields generically, and {@link #optionName(String)} renders a
 * core error with the option the user typed. The exceptions are the rank-loss fields
 * ({@link #rankLoss()}) and {@code --max-layer-sparsity} (a {@link LayerSelection}).
 *
 * <p>Adding a pruning option (docs/examples.md, "Adding a pruning option"): the setting in
 * {@code PruningConfig} and its JSON, then here one annotated field named after the setting; an enum
 * whose command-line names are lower case also needs its converter in {@code Converters}.
 * {@code PruningOptionsCoverageTest} fails if a builder setting has no option or does not survive
 * command line to configuration to JSON and back.
 */
public final class PruningOptions {
    /** Option fields that are not builder settings of the same name: applied by hand in {@link #applyTo}. */
    private static final Set<String> NOT_SETTERS = Set.of("lambda", "partialK", "rankLayers", "maxSparsity");
    private static final List<Field> OPTION_FIELDS = optionFields();
    private static final Map<Field, Method> SETTERS = setters();
    private static final Map<String, String> OPTION_BY_SETTING = optionBySetting();

    @Option(names = "--lambda", paramLabel = "L", description = "rank-loss weight for rpg (default: ${DEFAULT-VALUE})")
    public double lambda = PruningDefaults.LAMBDA;

    @Option(names = "--partial-k", paramLabel = "K",
            description = "rank-loss tail-energy fraction for rpg (default: ${DEFAULT-VALUE})")
    public double partialK = PruningDefaults.PARTIAL_K;

    @Option(names = "--rank-layers", converter = Converters.RankLayerChoice.class, paramLabel = "conv|all",
            description = "layers that get the rank loss: conv = convolutions only, as the reference; all = dense and "
                    + "output layers too (default: conv)")
    public RankLayers rankLayers = PruningDefaults.RANK_LAYERS;

    @Option(names = "--delta-t", paramLabel = "N",
            description = "iterations between topology updates (default: ${DEFAULT-VALUE})")
    public int deltaT = PruningDefaults.DELTA_T;

    @Option(names = "--ramp-end", paramLabel = "F",
            description = "fraction of training at which the target sparsity is reached (default: ${DEFAULT-VALUE})")
    public double rampEndFraction = PruningDefaults.RAMP_END_FRACTION;

    @Option(names = "--update-end", paramLabel = "F",
            description = "fraction of training after which topology updates stop (default: ${DEFAULT-VALUE})")
    public double updateEndFraction = PruningDefaults.UPDATE_END_FRACTION;

    @Option(names = "--update-placement", converter = Converters.Placement.class,
            paramLabel = "reaching-target|reference",
            description = "reaching-target = the last update before --update-end prunes to the target (rpg4j); "
                    + "reference = the reference's placement, which can stop short of the target (default: "
                    + "reaching-target)")
    public UpdatePlacement updatePlacement = PruningDefaults.UPDATE_PLACEMENT;

    @Option(names = "--budget", converter = Converters.Budget.class, paramLabel = "global|uniform|erk",
            description = "how the density is shared between layers: global = one magnitude threshold (reference), "
                    + "uniform = the same density per layer, erk = Erdos-Renyi-kernel (default: global)")
    public LayerBudget budget = PruningDefaults.BUDGET;

    @Option(names = "--alpha", paramLabel = "A",
            description = "initial drop fraction of regrowth (default: ${DEFAULT-VALUE})")
    public double alpha = PruningDefaults.ALPHA;

    @Option(names = "--schedule", converter = Converters.Schedule.class, paramLabel = "exponential|cubic|linear",
            description = "shape of the density ramp: exponential = the reference's, cubic = Zhu & Gupta, linear "
                    + "(default: exponential)")
    public ScheduleKind schedule = PruningDefaults.SCHEDULE;

    @Option(names = "--unsupported-layers", converter = Converters.Unsupported.class, paramLabel = "lenient|strict",
            description = "layers with weights rpg4j cannot prune: lenient = warn and list them in the report, "
                    + "strict = fail naming them (default: lenient)")
    public UnsupportedLayerPolicy unsupportedLayers = PruningDefaults.UNSUPPORTED_LAYERS;

    @Option(names = "--max-layer-sparsity", converter = Converters.Cap.class, paramLabel = "REGEX=S",
            description = "cap the sparsity of the layers whose name matches REGEX at S in [0, 1]; repeatable, the "
                    + "first matching cap wins (e.g. --max-layer-sparsity 'conv1|fc=0.8')")
    public List<LayerSelection.SparsityCap> maxSparsity = new ArrayList<>();

    /** @return an independent copy of these options (the study gives each run its own); list values are copied */
    public PruningOptions copy() {
        PruningOptions c = new PruningOptions();
        for (Field field : OPTION_FIELDS) {
            Object value = read(field, this);
            write(field, c, value instanceof List<?> list ? new ArrayList<>(list) : value);
        }
        return c;
    }

    /**
     * @param except options to leave out (e.g. {@code --delta-t} when a recipe gives it)
     * @return the options whose value differs from the default, as command-line arguments that
     *     parse back to these values, in declaration order; a repeatable option once per element
     */
    public List<String> arguments(Set<String> except) {
        PruningOptions defaults = new PruningOptions();
        List<String> args = new ArrayList<>();
        for (OptionSpec option : CommandSpec.forAnnotatedObject(this).options()) {
            String name = option.longestName();
            Field field = (Field) option.userObject();
            Object value = read(field, this);
            if (except.contains(name) || Objects.equals(value, read(field, defaults))) {
                continue;
            }
            for (Object element : value instanceof List<?> list ? list : List.of(value)) {
                args.add(name);
                args.add(token(option, element));
            }
        }
        return args;
    }

    /**
     * @param builder a builder of this run's target sparsity and iterations
     * @param rankLoss the method's rank loss ({@link #rankLoss()} or none)
     * @return the builder with every option of this mixin applied (not yet validated): each field
     *     named after a builder setting calls that setting, {@code --max-layer-sparsity} becomes
     *     {@link PruningConfig.Builder#layers}
     */
    public PruningConfig.Builder applyTo(PruningConfig.Builder builder, RankLoss rankLoss) {
        LayerSelection layers = LayerSelection.all();
        for (LayerSelection.SparsityCap cap : maxSparsity) {
            layers = layers.maxSparsity(cap.nameRegex(), cap.maxSparsity());
        }
        for (Map.Entry<Field, Method> setter : SETTERS.entrySet()) {
            try {
                setter.getValue().invoke(builder, read(setter.getKey(), this));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot call PruningConfig.Builder." + setter.getValue().getName(), e);
            }
        }
        return builder.rankLoss(rankLoss).layers(layers);
    }

    /**
     * @return the rank loss of these options ({@code --lambda}, {@code --partial-k}, {@code --rank-layers})
     * @throws org.rpg4j.prune.PruningConfigException if a value is invalid (render it with {@link #optionName})
     */
    public RankLoss rankLoss() {
        return RankLoss.lambda(lambda).partialK(partialK).layers(rankLayers);
    }

    /**
     * @param setting a setting of {@link PruningConfig.Builder} or {@link RankLoss} ({@code deltaT})
     * @return the option that sets it ({@code --delta-t}), or the setting itself if no option does
     */
    public static String optionName(String setting) {
        return OPTION_BY_SETTING.getOrDefault(setting, setting);
    }

    /**
     * @return every option's value by its name in camel case ({@code --ramp-end} is {@code rampEnd}), in
     *     declaration order, for results.json and the checkpoint's options: enums by constant name, a
     *     repeatable option as the list of its command-line values, numbers as they are
     */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (OptionSpec option : CommandSpec.forAnnotatedObject(this).options()) {
            Object value = read((Field) option.userObject(), this);
            Object json = value instanceof List<?> list ? list.stream().map(e -> token(option, e)).toList()
                    : value instanceof Enum<?> e ? e.name() : value;
            m.put(camelCase(option.longestName()), json);
        }
        return m;
    }

    /** {@code --max-layer-sparsity} to {@code maxLayerSparsity}: the inverse of the checkpoint's option names. */
    private static String camelCase(String option) {
        StringBuilder sb = new StringBuilder();
        boolean upper = false;
        for (char ch : option.substring(2).toCharArray()) {
            if (ch == '-') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return sb.toString();
    }

    /** The command-line form of one value: its converter's, if the converter can format, else its text. */
    private static String token(OptionSpec option, Object value) {
        for (ITypeConverter<?> converter : option.converters()) {
            if (converter instanceof Converters.Reversible<?> r) {
                return r.formatValue(value);
            }
        }
        return value instanceof Enum<?> e ? e.name() : String.valueOf(value);
    }

    private static Object read(Field field, PruningOptions options) {
        try {
            return field.get(options);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("option field " + field.getName() + " must be public", e);
        }
    }

    private static void write(Field field, PruningOptions options, Object value) {
        try {
            field.set(options, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("option field " + field.getName() + " must be public", e);
        }
    }

    /** The {@code @Option} fields, in declaration order. */
    private static List<Field> optionFields() {
        return Arrays.stream(PruningOptions.class.getDeclaredFields()).filter(f -> f.isAnnotationPresent(Option.class))
                .toList();
    }

    /**
     * Each option field to the builder setting of the same name, except {@link #NOT_SETTERS}; a field
     * that fits neither is a programming error, reported when the class loads.
     */
    private static Map<Field, Method> setters() {
        Map<Field, Method> map = new LinkedHashMap<>();
        for (Field field : OPTION_FIELDS) {
            if (NOT_SETTERS.contains(field.getName())) {
                continue;
            }
            try {
                map.put(field, PruningConfig.Builder.class.getMethod(field.getName(), field.getType()));
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("option field " + field.getName() + " must be named after the "
                        + "PruningConfig.Builder setting it sets (a method taking " + field.getType().getSimpleName()
                        + "), or be listed in NOT_SETTERS and applied by hand in applyTo", e);
            }
        }
        return Collections.unmodifiableMap(map);
    }

    /** Field name (= builder setting) to option name, read from the annotations. */
    private static Map<String, String> optionBySetting() {
        Map<String, String> map = new HashMap<>();
        for (OptionSpec option : CommandSpec.forAnnotatedObject(new PruningOptions()).options()) {
            if (option.userObject() instanceof Field field) {
                map.put(field.getName(), option.longestName());
            }
        }
        map.put("maxSparsity", "--max-layer-sparsity");
        map.put("layers", "--rank-layers");
        return Map.copyOf(map);
    }
}
