package org.rpg4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.rpg4j.examples.train.PruningHooks;
import org.rpg4j.prune.LayerSelection;
import org.rpg4j.prune.PruningConfig;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * Keeps "one pruning option = its {@link PruningConfig} setting (+ JSON) + one field in
 * {@link PruningOptions}" true: every builder setting is reachable from the command line, and every
 * option survives command line to {@link PruningOptions} to {@link PruningConfig} to JSON and back,
 * and its rendering back to a command line ({@link PruningOptions#arguments}), which the study and
 * results.json use. Reflection over the builder and the mixin, so a new setting or option is checked
 * without editing this test (an option of a new value type needs a sample in {@link #sample}).
 */
class PruningOptionsCoverageTest {
    private static final double SPARSITY = 0.9;
    private static final long ITERATIONS = 1000;
    private static final long SEED = 42;

    /**
     * Builder settings set by something other than a {@link PruningOptions} field of the same name,
     * with the options of the examples that set them.
     */
    private static final Map<String, List<String>> SET_ELSEWHERE = Map.of(
            "regrowth", List.of("--method"),
            "seed", List.of("--seed"),
            "rankLoss", List.of("--method", "--lambda", "--partial-k", "--rank-layers"),
            "layers", List.of("--max-layer-sparsity"));

    @Test
    void everyBuilderSettingIsSetByAnOption() {
        Set<String> fields = optionFields().stream().map(Field::getName).collect(Collectors.toSet());
        Set<String> cliOptions = CommandSpec.forAnnotatedObject(new Options()).optionsMap().keySet();
        List<String> missing = new ArrayList<>();
        for (String setting : builderSettings()) {
            if (fields.contains(setting)) {
                continue;
            }
            List<String> elsewhere = SET_ELSEWHERE.get(setting);
            if (elsewhere == null || !cliOptions.containsAll(elsewhere)) {
                missing.add(setting);
            }
        }
        assertEquals(List.of(), missing, "PruningConfig.Builder settings without a command-line option: add a "
                + "field named after each to PruningOptions (docs/examples.md, \"Adding a pruning option\")");
    }

    @Test
    void theSettingsSetElsewhereAreBuilderSettings() {
        // guards SET_ELSEWHERE against a rename in the builder, which would let a setting go unchecked
        assertTrue(builderSettings().containsAll(SET_ELSEWHERE.keySet()), builderSettings().toString());
    }

    @Test
    void eachOptionReachesTheConfigAndSurvivesJson() throws Exception {
        PruningConfig defaults = config(new PruningOptions());
        for (Field field : optionFields()) {
            PruningOptions changed = new PruningOptions();
            field.set(changed, sample(field, field.get(changed)));
            PruningOptions parsed = parse(changed.arguments(Set.of()));
            assertEquals(changed.asMap(), parsed.asMap(), field.getName() + " does not parse back from "
                    + changed.arguments(Set.of()));
            assertEquals(changed.asMap(), changed.copy().asMap(), field.getName() + " is lost by copy()");
            PruningConfig config = config(parsed);
            assertNotEquals(defaults, config, field.getName() + " does not reach the PruningConfig");
            assertEquals(config, PruningConfig.fromJson(config.toJson()), field.getName() + " does not survive JSON");
            assertSameInConfig(field, parsed, config);
        }
    }

    @Test
    void allOptionsTogetherSurviveJson() throws Exception {
        PruningOptions changed = new PruningOptions();
        for (Field field : optionFields()) {
            field.set(changed, sample(field, field.get(changed)));
        }
        PruningOptions parsed = parse(changed.arguments(Set.of()));
        assertEquals(changed.asMap(), parsed.asMap());
        PruningConfig config = config(parsed);
        assertEquals(config, PruningConfig.fromJson(config.toJson()));
        assertEquals(optionFields().size(), parsed.asMap().size(), "one results.json entry per option");
    }

    @Test
    void asMapKeysRenderBackToTheOptionNames() {
        // CheckpointSession.optionName names a differing option from its key: --ramp-end from rampEnd
        List<String> rendered = new PruningOptions().asMap().keySet().stream()
                .map(k -> "--" + k.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT))
                .toList();
        List<String> names = CommandSpec.forAnnotatedObject(new PruningOptions()).options().stream()
                .map(OptionSpec::longestName).toList();
        assertEquals(names, rendered);
    }

    /** A setting with a getter of the same name on the config must hold the option's value. */
    private static void assertSameInConfig(Field field, PruningOptions options, PruningConfig config)
            throws ReflectiveOperationException {
        Method getter;
        try {
            getter = PruningConfig.class.getMethod(field.getName());
        } catch (NoSuchMethodException e) {
            return; // rank-loss fields and the caps: compared through the config's equality above
        }
        assertEquals(field.get(options), getter.invoke(config), field.getName());
    }

    /**
     * A valid value other than the default: another enum constant; for a number the next one up (the
     * smallest change, which keeps each value valid alone and together, since no numeric default sits
     * at its upper bound, and which any lossy rendering to text or JSON would lose); one cap for the caps.
     */
    private static Object sample(Field field, Object defaultValue) {
        Class<?> type = field.getType();
        if (type.isEnum()) {
            return Arrays.stream(type.getEnumConstants()).filter(c -> c != defaultValue).findFirst().orElseThrow();
        }
        if (type == double.class) {
            return Math.nextUp((Double) defaultValue);
        }
        if (type == int.class) {
            return (Integer) defaultValue + 1;
        }
        if (type == List.class && field.getGenericType() instanceof ParameterizedType p
                && p.getActualTypeArguments()[0] == LayerSelection.SparsityCap.class) {
            return new ArrayList<>(List.of(new LayerSelection.SparsityCap("conv.*", 0.95)));
        }
        return fail("no sample value for option field " + field.getName() + " of type " + field.getGenericType()
                + ": add one to PruningOptionsCoverageTest.sample");
    }

    private static PruningConfig config(PruningOptions options) {
        return PruningHooks.config(org.rpg4j.examples.train.Method.RPG, SPARSITY, options, SEED, ITERATIONS)
                .orElseThrow();
    }

    private static PruningOptions parse(List<String> args) {
        PruningOptions options = new PruningOptions();
        new CommandLine(options).parseArgs(args.toArray(new String[0]));
        return options;
    }

    private static List<Field> optionFields() {
        return Arrays.stream(PruningOptions.class.getDeclaredFields()).filter(f -> f.isAnnotationPresent(Option.class))
                .toList();
    }

    /** The builder's public setters (every public method but {@code build}), by name. */
    private static Set<String> builderSettings() {
        return Arrays.stream(PruningConfig.Builder.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !m.getName().equals("build"))
                .map(Method::getName).collect(Collectors.toCollection(TreeSet::new));
    }
}
