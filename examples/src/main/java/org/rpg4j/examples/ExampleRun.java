package org.rpg4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.rpg4j.dl4j.structured.StructuredResult;
import org.rpg4j.examples.checkpoint.CheckpointSession;
import org.rpg4j.examples.cli.OptionChecks;
import org.rpg4j.examples.cli.Options;
import org.rpg4j.examples.cli.PruningOptions;
import org.rpg4j.examples.data.Augmentation;
import org.rpg4j.examples.data.BatchAssembler;
import org.rpg4j.examples.data.DataSources;
import org.rpg4j.examples.data.Normalization;
import org.rpg4j.examples.data.TrainTestData;
import org.rpg4j.dl4j.distill.Distillation;
import org.rpg4j.examples.models.LayerImpl;
import org.rpg4j.examples.models.NetworkSettings;
import org.rpg4j.examples.models.ParameterCount;
import org.rpg4j.examples.results.DeadChannelSummary;
import org.rpg4j.examples.results.MachineInfo;
import org.rpg4j.examples.results.Plots;
import org.rpg4j.examples.results.ResultsCsv;
import org.rpg4j.examples.results.ResultsJson;
import org.rpg4j.examples.results.RunRecord;
import org.rpg4j.examples.results.SparseExportResult;
import org.rpg4j.examples.structured.Compaction;
import org.rpg4j.examples.structured.StructuredChecks;
import org.rpg4j.examples.structured.StructuredExampleRun;
import org.rpg4j.examples.train.CosineWarmupSchedule;
import org.rpg4j.examples.train.HeavyBallSgd;
import org.rpg4j.examples.train.InitialWeights;
import org.rpg4j.examples.train.LayerStat;
import org.rpg4j.examples.train.PruningHook;
import org.rpg4j.examples.train.PruningHooks;
import org.rpg4j.examples.train.PruningHooks.Restored;
import org.rpg4j.examples.train.Trainer;
import org.rpg4j.examples.train.TrainingHistory;
import org.rpg4j.examples.train.TrainingPlan;
import org.rpg4j.examples.train.WeightInspector;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.PruningConfigException;

/**
 * One run of the examples, from options to output directory: load the data, build the network,
 * attach pruning, train, then write {@code results.json}, {@code metrics.csv}, {@code layers.csv},
 * {@code model.zip} and the plots.
 */
public final class ExampleRun {
    private static final int SPECTRA_LAYERS = 4;

    private final Options options;
    private final List<String> commandLine;
    private final Consumer<String> out;

    /**
     * @param options parsed options
     * @param commandLine the arguments as given, for results.json
     * @param out where progress and summaries go
     */
    public ExampleRun(Options options, List<String> commandLine, Consumer<String> out) {
        this.options = options;
        this.commandLine = List.copyOf(commandLine);
        this.out = out;
    }

    /**
     * @return the record written to the output directory
     * @throws IOException if data cannot be read or results cannot be written
     * @throws IllegalArgumentException naming an invalid option
     */
    public RunRecord run() throws IOException {
        long start = System.nanoTime();
        OptionChecks.check(options);
        options.distillation.config();
        StructuredChecks.check(options);
        if (options.method.structured()) {
            return new StructuredExampleRun(options, commandLine, out).run();
        }
        MachineInfo machineAtStart = MachineInfo.current();
        TrainTestData data = loadData();
        OptionChecks.checkBatch(options, data.train().size());
        TrainingPlan plan = TrainingPlan.of(data.train().size(), options.epochs, options.batchSize,
                options.maxIterations, options.progressEvery, options.evalBatchSize, options.seed);
        Optional<PruningConfig> config = pruningConfig(plan);
        Normalization normalization = Normalization.of(data.train());
        Augmentation augmentation = augmentation(data);
        CosineWarmupSchedule schedule = new CosineWarmupSchedule(options.lr, warmupIterations(plan),
                plan.totalIterations());
        CheckpointSession checkpoints = CheckpointSession.open(options.checkpoints.policy(),
                options.checkpoints.resume, options.asMap(), new Options().asMap(), out);
        Optional<Restored> resumed = checkpoints.restore(options.method);
        Restored restored = resumed.isPresent() ? resumed.get() : fresh(data, schedule, config);
        ComputationGraph net = restored.network();
        PruningHook pruning = restored.hook();
        Optional<Distillation> distillation = options.distillation.attach(net);
        Path dir = checkpoints.resumedRunDirectory().filter(d -> options.output == null)
                .orElseGet(() -> outputDirectory(data));
        Files.createDirectories(dir);
        RunRecord.ModelInfo model = modelInfo(net);
        printHeader(data, augmentation, plan, schedule, model, pruning, dir, machineAtStart);

        Trainer trainer = new Trainer(net, new BatchAssembler(data.train(), normalization, augmentation,
                options.labelSmoothing), new BatchAssembler(data.test(), normalization, Augmentation.NONE, 0.0), plan,
                schedule, pruning, out);
        distillation.ifPresent(d -> trainer.labelBatches(d::label));
        checkpoints.attach(trainer, dir, net, pruning);
        TrainingHistory history = trainer.run();
        distillation.ifPresent(Distillation::detach);

        List<LayerStat> finalLayers = WeightInspector.inspect(net, true);
        Map<String, double[]> spectra = spectra(net);
        if (!options.resultsOnly) {
            pruning.save(net, dir.resolve("model.zip"));
        }
        int[] inputShape = {data.train().channels(), data.train().height(), data.train().width()};
        Optional<StructuredResult> dead = options.method.prunes() ? DeadChannelSummary.write(net, inputShape, dir, out)
                : Optional.empty();
        Compaction compaction = DeadChannelSummary.compaction(net, dead, inputShape, out);
        if (dead.isPresent() && !options.resultsOnly) {
            ModelSerializer.writeModel(dead.get().network(), dir.resolve("model_shrunk.zip").toFile(), false);
        }
        SparseExportResult sparseExport = options.sparseExport.enabled()
                ? SparseExportResult.write(net, dir, options.sparseExport) : null;
        RunRecord record = new RunRecord(title(data), commandLine, options.asMap(), new RunRecord.DataInfo(
                data.name(), data.source(), data.synthetic(), data.train().size(), data.test().size(),
                augmentation.toString(), normalization.toString()), model, options.method.cliName(),
                options.method.description(), pruning.configJson().orElse(null), pruning.reportJson().orElse(null),
                plan, history, finalLayers, spectra, (System.nanoTime() - start) / 1e9, MachineInfo.current(),
                sparseExport, compaction, null);
        write(record, dir, pruning, !options.resultsOnly);
        printFooter(record, pruning, dir);
        return record;
    }

    /** A new network (random or {@code --init-from} weights) with the method's pruning attached. */
    private Restored fresh(TrainTestData data, CosineWarmupSchedule schedule, Optional<PruningConfig> config)
            throws IOException {
        ComputationGraph net = options.model.build(options.width, options.shortcut, new NetworkSettings(
                data.train().channels(), data.train().height(), data.train().width(), data.train().numClasses(),
                new HeavyBallSgd(schedule, options.momentum), options.weightDecay, options.layers.kit(),
                options.seed));
        if (options.initFrom != null) {
            InitialWeights.copyInto(net, options.initFrom);
        }
        return new Restored(net, PruningHooks.attach(options.method, net, config));
    }

    private TrainTestData loadData() throws IOException {
        TrainTestData data = DataSources.load(options.dataset, options.dataDir, options.model.nativeChannels(),
                options.model.nativeSide(), options.seed);
        int train = options.subset > 0 ? options.subset : Integer.MAX_VALUE;
        int test = options.testSubset > 0 ? options.testSubset : Integer.MAX_VALUE;
        return data.head(train, test);
    }

    private Augmentation augmentation(TrainTestData data) {
        return switch (options.augment) {
            case "none" -> Augmentation.NONE;
            case "crop-flip" -> Augmentation.CROP_FLIP;
            default -> data.train().channels() == 3 && data.train().height() == 32 ? Augmentation.CROP_FLIP
                    : Augmentation.NONE;
        };
    }

    private long warmupIterations(TrainingPlan plan) {
        long warmup = Math.round(options.warmupEpochs * plan.iterationsPerEpoch());
        return Math.min(warmup, plan.totalIterations() - 1);
    }

    /**
     * The method's pruning configuration, validated by rpg-core; its errors are rendered with the
     * options the user typed ({@code --delta-t}, not {@code deltaT}).
     */
    private Optional<PruningConfig> pruningConfig(TrainingPlan plan) {
        try {
            return PruningHooks.config(options.method, options.sparsity, options.pruning, options.seed,
                    plan.totalIterations());
        } catch (PruningConfigException e) {
            throw new IllegalArgumentException(e.message(setting -> optionName(setting, plan)), e);
        }
    }

    /** @return the option behind a pruning setting; the run's iterations come from --max-iterations or --epochs */
    private String optionName(String setting, TrainingPlan plan) {
        return switch (setting) {
            case "totalIterations" -> options.maxIterations > 0 && plan.totalIterations() == options.maxIterations
                    ? "--max-iterations" : "--epochs " + options.epochs + " x " + plan.iterationsPerEpoch()
                            + " iterations per epoch";
            case "seed" -> "--seed";
            case "targetSparsity" -> "--sparsity";
            default -> PruningOptions.optionName(setting);
        };
    }

    private Path outputDirectory(TrainTestData data) {
        if (options.output != null) {
            return options.output.toAbsolutePath();
        }
        String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String method = options.method.prunes()
                ? options.method.cliName() + Math.round(100 * options.sparsity) : options.method.cliName();
        return Path.of("results", options.model.cliName() + "-" + data.name() + "-" + method + "-" + time)
                .toAbsolutePath();
    }

    private RunRecord.ModelInfo modelInfo(ComputationGraph net) {
        ParameterCount count = ParameterCount.of(net);
        long prunable = WeightInspector.prunableWeights(net).stream().mapToLong(w -> w.weight().length()).sum();
        String description = options.model.cliName() + (options.width > 1 ? " x" + options.width : "")
                + (options.model.cliName().startsWith("resnet") ? ", option-" + options.shortcut + " shortcuts" : "");
        return new RunRecord.ModelInfo(options.model.cliName(), description, options.layers.resolve().cliName(),
                count.total(), count.trainable(), prunable);
    }

    private String title(TrainTestData data) {
        String method = options.method.prunes() ? String.format(Locale.ROOT, "%s at %.0f %% sparsity",
                options.method.cliName(), 100 * options.sparsity) : "dense";
        return options.model.cliName() + (options.width > 1 ? " x" + options.width : "") + " on " + data.name()
                + ", " + method;
    }

    /** Singular values of up to four prunable layers spread over the network (first, last and between). */
    /**
     * @param net a trained network (not modified)
     * @return singular values of up to four of its prunable layers, by layer name
     */
    public static Map<String, double[]> spectra(ComputationGraph net) {
        List<WeightInspector.NamedWeight> weights = WeightInspector.prunableWeights(net);
        Map<String, double[]> spectra = new LinkedHashMap<>();
        int n = weights.size();
        for (int i = 0; i < SPECTRA_LAYERS && n > 0; i++) {
            WeightInspector.NamedWeight w = weights.get((int) Math.round(i * (n - 1) / (SPECTRA_LAYERS - 1.0)));
            spectra.putIfAbsent(w.name(), WeightInspector.singularValues(w.weight()));
        }
        return spectra;
    }

    /**
     * Writes a run's files: metrics.csv, layers.csv, the pruning report if any, results.json and (with
     * plots) the PNG plots.
     *
     * @param record the run
     * @param dir the output directory
     * @param pruning the run's pruning, for its report table
     * @param withPlots whether to draw the plots
     * @throws IOException if a file cannot be written
     */
    public static void write(RunRecord record, Path dir, PruningHook pruning, boolean withPlots)
            throws IOException {
        ResultsCsv.writeEpochs(record, dir.resolve("metrics.csv"));
        ResultsCsv.writeLayers(record.finalLayers(), dir.resolve("layers.csv"));
        if (pruning.reportTable().isPresent()) {
            Files.writeString(dir.resolve("pruning_report.txt"), pruning.reportTable().get());
        }
        // results.json last: its presence marks a finished run (the study resumes on it)
        ResultsJson.write(record, dir.resolve("results.json"));
        if (!withPlots) {
            return;
        }
        Plots.accuracyAndSparsity(record, dir.resolve("accuracy_sparsity.png"));
        Plots.layerRanks(record.title(), record.finalLayers(), dir.resolve("layer_rank.png"));
        Plots.spectra(record.title(), record.spectra(), dir.resolve("spectra.png"));
    }

    private void printHeader(TrainTestData data, Augmentation augmentation, TrainingPlan plan,
                             CosineWarmupSchedule schedule, RunRecord.ModelInfo model, PruningHook pruning, Path dir,
                             MachineInfo machine) {
        out.accept("rpg4j examples: " + title(data));
        out.accept("  data:     " + data.train() + " / test " + data.test().size() + " images; from " + data.source());
        if (data.synthetic()) {
            out.accept("  NOTE:     synthetic data: accuracies say nothing about real data sets");
        }
        out.accept("  augment:  " + augmentation + (options.labelSmoothing > 0 ? "; label smoothing "
                + options.labelSmoothing : ""));
        out.accept(String.format(Locale.ROOT, "  model:    %s, %,d trainable parameters (%,d in DL4J incl. BN "
                + "running stats), %,d prunable; %s layers%s", model.description(), model.trainableParameters(),
                model.totalParameters(), model.prunableParameters(), model.layers(), oneDnnNote()));
        out.accept("  method:   " + pruning.description());
        options.distillation.config().ifPresent(c -> out.accept("  distill:  from " + options.distillation.teacher
                + ", temperature " + c.temperature() + ", hardness " + c.hardness()));
        out.accept(String.format(Locale.ROOT, "  training: %d epochs x %d iterations of %d images = %d iterations; "
                + "SGD momentum %.2f (heavy ball), weight decay %.1e, %s", plan.epochs(),
                plan.iterationsPerEpoch(), plan.batchSize(), plan.totalIterations(), options.momentum,
                options.weightDecay, schedule));
        out.accept("  machine:  " + machine.summary());
        out.accept("  output:   " + dir);
    }

    private String oneDnnNote() {
        String auto = options.layers == LayerImpl.AUTO ? ", chosen by --layers auto" : "";
        if (options.layers.resolve() != LayerImpl.FAST) {
            return options.layers == LayerImpl.AUTO ? " (ND4J has no oneDNN" + auto + ")" : "";
        }
        return LayerImpl.oneDnnAvailable() ? " (oneDNN" + auto + ")"
                : " (WARNING: this ND4J build has no oneDNN, the fast layers are slow; use the linux-x86_64-onednn-avx2 "
                        + "classifier)";
    }

    private void printFooter(RunRecord record, PruningHook pruning, Path dir) {
        pruning.reportTable().ifPresent(out);
        TrainingHistory h = record.history();
        out.accept(String.format(Locale.ROOT, "done: %s: test accuracy %.4f, sparsity %.4f, mean delta-rank %.1f; "
                + "%.1f training img/s; wall time %s", record.title(), h.last().testAccuracy(),
                h.last().sparsity(), h.last().meanDeltaRank(), h.imagesPerSecond(),
                Trainer.duration(record.wallSeconds())));
        out.accept("results: " + dir + (options.resultsOnly ? " (results.json, metrics.csv, layers.csv)"
                : " (results.json, metrics.csv, layers.csv, model.zip, accuracy_sparsity.png, layer_rank.png, "
                        + "spectra.png)"));
    }
}
