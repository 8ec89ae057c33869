package org.rpg4j.examples.cli;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.rpg4j.mask.LayerBudget;
import org.rpg4j.prune.LayerSelection;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.PruningDefaults;
import org.rpg4j.prune.RankLayers;
import org.rpg4j.prune.RankLoss;
import org.rpg4j.schedule.UpdatePlacement;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The pruning options of the examples and the study: a thin picocli mixin over
 * {@link PruningConfig.Builder} (the target sparsity is the run's {@code --sparsity}, or the study's
 * {@code --sparsities}). Each default comes from {@link PruningDefaults} (declared once, in
 * rpg-core); validation is the builder's. Each field is named after the builder setting it sets,
 * so that {@link #optionName(String)} can render a core error with the option the user typed.
 * Adding a pruning option: the setting in {@code PruningConfig} (and its JSON), then here one
 * annotated field and its call in {@link #applyTo}.
 */
public final class PruningOptions {
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

    @Option(names = "--max-layer-sparsity", converter = Converters.Cap.class, paramLabel = "REGEX=S",
            description = "cap the sparsity of the layers whose name matches REGEX at S in [0, 1]; repeatable, the "
                    + "first matching cap wins (e.g. --max-layer-sparsity 'conv1|fc=0.8')")
    public List<LayerSelection.SparsityCap> maxSparsity = new ArrayList<>();

    /** @return an independent copy of these options (the study gives each run its own) */
    public PruningOptions copy() {
        PruningOptions c = new PruningOptions();
        c.lambda = lambda;
        c.partialK = partialK;
        c.rankLayers = rankLayers;
        c.deltaT = deltaT;
        c.rampEndFraction = rampEndFraction;
        c.updateEndFraction = updateEndFraction;
        c.updatePlacement = updatePlacement;
        c.budget = budget;
        c.alpha = alpha;
        c.maxSparsity = new ArrayList<>(maxSparsity);
        return c;
    }

    /**
     * @param except options to leave out (e.g. {@code --delta-t} when a recipe gives it)
     * @return the options whose value differs from the default, as command-line arguments that
     *     parse back to these values
     */
    public List<String> arguments(Set<String> except) {
        PruningOptions d = new PruningOptions();
        List<String> args = new ArrayList<>();
        add(args, except, "--lambda", lambda != d.lambda, Double.toString(lambda));
        add(args, except, "--partial-k", partialK != d.partialK, Double.toString(partialK));
        add(args, except, "--rank-layers", rankLayers != d.rankLayers,
                rankLayers == RankLayers.CONVOLUTIONS ? "conv" : "all");
        add(args, except, "--delta-t", deltaT != d.deltaT, Integer.toString(deltaT));
        add(args, except, "--ramp-end", rampEndFraction != d.rampEndFraction, Double.toString(rampEndFraction));
        add(args, except, "--update-end", updateEndFraction != d.updateEndFraction, Double.toString(updateEndFraction));
        add(args, except, "--update-placement", updatePlacement != d.updatePlacement,
                updatePlacement.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        add(args, except, "--budget", budget != d.budget, budget.name().toLowerCase(Locale.ROOT));
        add(args, except, "--alpha", alpha != d.alpha, Double.toString(alpha));
        for (LayerSelection.SparsityCap cap : maxSparsity) {
            add(args, except, "--max-layer-sparsity", true, cap.nameRegex() + "=" + cap.maxSparsity());
        }
        return args;
    }

    private static void add(List<String> args, Set<String> except, String option, boolean differs, String value) {
        if (differs && !except.contains(option)) {
            args.add(option);
            args.add(value);
        }
    }

    /**
     * @param builder a builder of this run's target sparsity and iterations
     * @param rankLoss the method's rank loss ({@link #rankLoss()} or none)
     * @return the builder with every option of this mixin applied (not yet validated)
     */
    public PruningConfig.Builder applyTo(PruningConfig.Builder builder, RankLoss rankLoss) {
        LayerSelection layers = LayerSelection.all();
        for (LayerSelection.SparsityCap cap : maxSparsity) {
            layers = layers.maxSparsity(cap.nameRegex(), cap.maxSparsity());
        }
        return builder.deltaT(deltaT).rampEndFraction(rampEndFraction).updateEndFraction(updateEndFraction)
                .updatePlacement(updatePlacement).budget(budget).alpha(alpha).rankLoss(rankLoss).layers(layers);
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

    /** @return every option's value by its field name, for results.json */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lambda", lambda);
        m.put("partialK", partialK);
        m.put("rankLayers", rankLayers.name());
        m.put("deltaT", deltaT);
        m.put("rampEnd", rampEndFraction);
        m.put("updateEnd", updateEndFraction);
        m.put("updatePlacement", updatePlacement.name());
        m.put("budget", budget.name());
        m.put("alpha", alpha);
        m.put("maxLayerSparsity", maxSparsity.stream().map(c -> c.nameRegex() + "=" + c.maxSparsity()).toList());
        return m;
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
