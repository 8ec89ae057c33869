package org.rpg4j.examples.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.rpg4j.dl4j.Dl4jPruning;
import org.rpg4j.dl4j.Pruning;
import org.rpg4j.examples.cli.PruningOptions;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankLayers;
import org.rpg4j.prune.RankLoss;
import org.rpg4j.prune.RankLossMode;
import org.rpg4j.regrow.RegrowthKind;
import org.rpg4j.schedule.UpdateCadence;

/** Pruning by rpg4j's DL4J adapter ({@link Dl4jPruning}); the model zip holds masks and pruner state. */
final class AdapterPruning implements PruningHook {
    private final Method method;
    private final PruningConfig config;
    private final Pruning pruning;

    private AdapterPruning(Method method, PruningConfig config, Pruning pruning) {
        this.method = method;
        this.config = config;
        this.pruning = pruning;
    }

    /**
     * @param method a pruning method (not {@link Method#DENSE})
     * @param net the initialised network, before training; rpg4j's hooks are installed in it
     * @param config the method's configuration ({@link #config})
     * @return the attached hook
     */
    static AdapterPruning attach(Method method, ComputationGraph net, PruningConfig config) {
        return new AdapterPruning(method, config, Dl4jPruning.attach(net, config));
    }

    /**
     * @param method the pruning method the zip was saved with (not {@link Method#DENSE})
     * @param zip a model zip written by {@link #save}
     * @return the loaded network and the hook of its continued pruning run
     * @throws IOException if the zip cannot be read
     * @throws IllegalArgumentException if the zip holds no ComputationGraph
     */
    static PruningHooks.Restored restore(Method method, Path zip) throws IOException {
        Pruning pruning = Dl4jPruning.restore(zip.toFile());
        if (!(pruning.network() instanceof ComputationGraph net)) {
            throw new IllegalArgumentException(zip + " holds a " + pruning.network().getClass().getSimpleName()
                    + ", the examples train ComputationGraphs");
        }
        return new PruningHooks.Restored(net, new AdapterPruning(method, pruning.config(), pruning));
    }

    /**
     * The method's rpg4j configuration: gmp and rigl differ from rpg only in regrowth and rank loss.
     *
     * @param method a pruning method (not {@link Method#DENSE})
     * @param targetSparsity the run's target sparsity
     * @param options the pruning options
     * @param seed seed of the pruner's random choices
     * @param totalIterations iterations of the whole run
     * @return the validated configuration
     * @throws org.rpg4j.prune.PruningConfigException naming the builder's settings if a value is invalid
     */
    static PruningConfig config(Method method, double targetSparsity, PruningOptions options, long seed,
                                long totalIterations) {
        RankLoss rank = switch (method) {
            case GMP, RIGL -> RankLoss.none();
            case RPG -> options.rankLoss();
            case RPG_REG -> options.rankLoss().mode(RankLossMode.REGULARISER);
            case DENSE -> throw new IllegalArgumentException("method dense has no pruning configuration");
            default -> throw new IllegalArgumentException("method " + method + " is structured: it has no "
                    + "unstructured pruning configuration");
        };
        return options.applyTo(PruningConfig.builder(targetSparsity, totalIterations), rank)
                .regrowth(method == Method.GMP ? RegrowthKind.NONE : RegrowthKind.GRADIENT).seed(seed).build();
    }

    @Override
    public String description() {
        UpdateCadence cadence = config.cadence();
        String rank = method == Method.RPG || method == Method.RPG_REG ? String.format(Locale.ROOT,
                ", lambda %s, partialK %s, rank loss on %s", config.rankLoss().lambda(), config.rankLoss().partialK(),
                config.rankLoss().layers() == RankLayers.CONVOLUTIONS ? "convolutions" : "all prunable layers") : "";
        // update index R (0-based) is the first at the target density: the (R + 1)-th update; iterations
        // are counted from 1 as in the progress lines
        String target = config.firstUpdateAtTarget() == Integer.MAX_VALUE
                ? String.format(Locale.ROOT, "target sparsity %.3f not reached by the %d updates (reference placement)",
                        config.targetSparsity(), cadence.lastUpdateIndex() + 1)
                : String.format(Locale.ROOT, "target sparsity %.3f reached at update %d of %d", config.targetSparsity(),
                        config.firstUpdateAtTarget() + 1, cadence.lastUpdateIndex() + 1);
        return String.format(Locale.ROOT, "%s; %s (a topology update every %d iterations, the last after iteration "
                + "%d); %s budget%s", method.description(), target, config.deltaT(),
                cadence.iterationOfUpdate(cadence.lastUpdateIndex()) + 1,
                config.budget().name().toLowerCase(Locale.ROOT), rank);
    }

    @Override
    public String progress() {
        UpdateCadence cadence = config.cadence();
        int updates = cadence.lastUpdateIndex() + 1;
        // counted from the cadence, not from lastUpdate(), which forgets updates made before a restore
        int done = 0;
        while (done < updates && cadence.iterationOfUpdate(done) < pruning.iteration()) {
            done++;
        }
        return "update " + done + "/" + updates;
    }

    @Override
    public Optional<String> configJson() {
        return Optional.of(config.toJson());
    }

    @Override
    public Optional<String> reportTable() {
        return Optional.of(pruning.report().toString());
    }

    @Override
    public Optional<String> reportJson() {
        return Optional.of(pruning.report().toJson());
    }

    @Override
    public void save(ComputationGraph net, Path zip) throws IOException {
        pruning.save(zip.toFile());
    }
}
