package org.rpg4j.examples.structured;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.rpg4j.dl4j.distill.Distillation;
import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.dl4j.structured.GradualStructuredPruning;
import org.rpg4j.dl4j.structured.StructuredConfig;
import org.rpg4j.dl4j.structured.StructuredPruning;
import org.rpg4j.dl4j.structured.StructuredReport;
import org.rpg4j.dl4j.structured.StructuredResult;
import org.rpg4j.dl4j.structured.TrainingHook;
import org.rpg4j.examples.ExampleRun;
import org.rpg4j.examples.cli.OptionChecks;
import org.rpg4j.examples.cli.Options;
import org.rpg4j.examples.data.Augmentation;
import org.rpg4j.examples.data.BatchAssembler;
import org.rpg4j.examples.data.Normalization;
import org.rpg4j.examples.data.TrainTestData;
import org.rpg4j.examples.results.MachineInfo;
import org.rpg4j.examples.results.RunRecord;
import org.rpg4j.examples.train.CosineWarmupSchedule;
import org.rpg4j.examples.train.Evaluator;
import org.rpg4j.examples.train.PruningHook;
import org.rpg4j.examples.train.Trainer;
import org.rpg4j.examples.train.TrainingHistory;
import org.rpg4j.examples.train.TrainingPlan;
import org.rpg4j.examples.train.WeightInspector;

/**
 * One run of a structured method: train the network (with the method's penalty, and with channels
 * masked gradually if a gradual schedule is chosen or in DropNet's rounds), remove the chosen channels
 * (data-driven methods: from statistics on training batches) and shrink the network physically,
 * fine-tune the shrunk network (continuing the cosine schedule, which spans training and
 * fine-tuning), optionally train the shrunk architecture from scratch, measure size and inference speed
 * before and after, and write {@code results.json} (with {@code "structured"} and {@code "compaction"}),
 * the CSV files, {@code structured_report.txt}, the shrunk {@code model.zip} (plain DL4J) and the plots.
 * {@code --max-iterations} caps each phase. With {@code --teacher}, training and fine-tuning are
 * distilled from the teacher; training from scratch is not.
 */
public final class StructuredExampleRun {
    /** Fraction of the training iterations over which a gradual schedule reaches its target. */
    static final double GRADUAL_RAMP_FRACTION = 0.75;

    private final Options options;
    private final List<String> commandLine;
    private final Consumer<String> out;
    private final StructuredMethod method;
    private final StructuredOptions s;

    /**
     * @param options parsed options of a structured method
     * @param commandLine the arguments as given, for results.json
     * @param out where progress and summaries go
     * @throws IllegalArgumentException if the method is not structured
     */
    public StructuredExampleRun(Options options, List<String> commandLine, Consumer<String> out) {
        this.options = options;
        this.commandLine = List.copyOf(commandLine);
        this.out = out;
        this.method = StructuredMethod.of(options.method);
        this.s = options.structured;
    }

    /**
     * @return the record written to the output directory
     * @throws IOException if data cannot be read or results cannot be written
     * @throws IllegalArgumentException naming an invalid option
     */
    public RunRecord run() throws IOException {
        long start = System.nanoTime();
        OptionChecks.check(options);
        StructuredChecks.check(options);
        RunInputs in = RunInputs.load(options);
        TrainingPlan train = in.plan(options.epochs);
        int fineTuneEpochs = s.resolvedFineTuneEpochs();
        Optional<TrainingPlan> fineTune = fineTuneEpochs > 0 ? Optional.of(in.plan(fineTuneEpochs)) : Optional.empty();
        CosineWarmupSchedule schedule = in.schedule(train.totalIterations() + fineTune.map(
                TrainingPlan::totalIterations).orElse(0L), train);
        ComputationGraph net = in.network(schedule);
        RunRecord.ModelInfo model = in.modelInfo(net);
        StructuredConfig config = config(net, in.inputShape());
        Path dir = outputDirectory(in.data());
        Files.createDirectories(dir);
        printHeader(in, train, fineTuneEpochs, dir);

        Optional<TrainingHook> hook = method.hook(options.lr * s.resolvedPenalty(method));
        hook.ifPresent(h -> h.install(net, ChannelDependencies.analyse(net)));
        Optional<GradualStructuredPruning> gradual = s.resolvedSchedule().kind().map(kind -> GradualStructuredPruning
                .attach(net, config, kind, 0, rampUpdates(train), frequency(train)));
        Optional<DataDrivenRemoval> dataDriven = method.attachDataDriven(new DataDrivenRemoval.Setting(net, config,
                DataDrivenRemoval.statisticsBatches(in, options.batchSize, options.seed), train.totalIterations(),
                options.dataDriven, options.seed));
        TrainingHistory trained = train(net, in, train, schedule);
        hook.ifPresent(h -> h.remove(net));
        double accuracyBefore = Evaluator.accuracy(net, in.test(), options.evalBatchSize);
        Optional<DataDrivenRemoval.Removed> removed = dataDriven.map(DataDrivenRemoval::finish);
        StructuredResult pruned = removed.isPresent() ? removed.get().result() : gradual.isPresent() ? gradual.get()
                .finish() : StructuredPruning.prune(net, config);
        ComputationGraph shrunk = (ComputationGraph) pruned.network();
        // the updater continues the run's schedule: the shrunk copy keeps the iteration count
        shrunk.getConfiguration().setIterationCount(net.getConfiguration().getIterationCount());
        double accuracyAfter = Evaluator.accuracy(shrunk, in.test(), options.evalBatchSize);
        out.accept(String.format(Locale.ROOT, "pruned: parameters %,d -> %,d, MACs/image %,d -> %,d; test accuracy "
                + "%.4f -> %.4f before fine-tuning", pruned.report().paramsBefore(), pruned.report().paramsAfter(),
                pruned.report().macsBefore(), pruned.report().macsAfter(), accuracyBefore, accuracyAfter));
        Optional<TrainingHistory> tuned = fineTune.isPresent() ? Optional.of(train(shrunk, in, fineTune.get(),
                new OffsetSchedule(schedule, train.totalIterations()))) : Optional.empty();
        Compaction compaction = Compaction.measure(options.method.cliName() + " at channel sparsity "
                + s.resolvedChannelSparsity(), pruned.report(), net, shrunk, in.inputShape());
        List<StructuredOutcome.ScratchRun> scratch = fromScratch(shrunk, in, train.epochs(), pruned.report());
        StructuredOutcome outcome = new StructuredOutcome(method.criterion(), StructuredOptions.ScopeConverter.cliName(
                config.scope()), s.resolvedSchedule().cliName(), config.channelSparsity(), s.resolvedPenalty(method),
                accuracyBefore, accuracyAfter, fineTuneEpochs, tuned.map(h -> h.last().testAccuracy()).orElse(null),
                s.resolvedFromScratch().cliName(), scratch, StructuredOutcome.channels(pruned.report()),
                pruned.report().lockedGroups(), removed.map(DataDrivenRemoval.Removed::outcome).orElse(null));
        TrainingHistory history = tuned.map(h -> Histories.concat(trained, h)).orElse(trained);
        RunRecord record = record(in, model, shrunk, history, train, fineTune, compaction, outcome, start);
        Files.writeString(dir.resolve("structured_report.txt"), pruned.report().toString());
        if (!options.resultsOnly) {
            ModelSerializer.writeModel(shrunk, dir.resolve("model.zip").toFile(), false);
        }
        ExampleRun.write(record, dir, PruningHook.none(), !options.resultsOnly);
        printFooter(record, outcome, compaction, dir);
        return record;
    }

    private StructuredConfig config(ComputationGraph net, int[] inputShape) {
        StructuredConfig.Builder b = StructuredConfig.builder(s.resolvedChannelSparsity()).scope(s.resolvedScope(
                method)).inputShape(inputShape[0], inputShape[1], inputShape[2]);
        if (method.scoredOn() != StructuredMethod.ScoredOn.DATA) {
            b.criterion(method.criterion()); // a data-driven method's criterion is not one StructuredConfig knows
        }
        if (method.scoredOn() == StructuredMethod.ScoredOn.BATCH_NORM_SCALE) {
            // groups without a batch-norm scale cannot be ranked by |gamma|: they stay whole
            ChannelDependencies.analyse(net).prunableGroups().stream().filter(g -> g.slices(
                    org.rpg4j.structured.SliceRole.PASS_THROUGH).stream().noneMatch(x -> x.param().equals("gamma")))
                    .forEach(g -> b.exclude(g.producers().toArray(new String[0])));
        }
        return b.build();
    }

    private int rampUpdates(TrainingPlan train) {
        long span = Math.max(1, (long) (GRADUAL_RAMP_FRACTION * train.totalIterations()));
        return (int) Math.min(s.resolvedChannelUpdates(), span);
    }

    private int frequency(TrainingPlan train) {
        long span = Math.max(1, (long) (GRADUAL_RAMP_FRACTION * train.totalIterations()));
        return (int) Math.max(1, span / rampUpdates(train));
    }

    /** Trains one phase, distilled from {@code --teacher} when given (attached for the phase, then detached). */
    private TrainingHistory train(ComputationGraph net, RunInputs in, TrainingPlan plan,
                                  org.nd4j.linalg.schedule.ISchedule schedule) throws IOException {
        Optional<Distillation> distillation = options.distillation.attach(net);
        Trainer trainer = new Trainer(net, in.train(), in.test(), plan, schedule, PruningHook.none(), out);
        distillation.ifPresent(d -> trainer.labelBatches(d::label));
        TrainingHistory history = trainer.run();
        distillation.ifPresent(Distillation::detach);
        return history;
    }

    /** Trains the shrunk architecture from scratch once per kind {@code --from-scratch} asks for. */
    private List<StructuredOutcome.ScratchRun> fromScratch(ComputationGraph shrunk, RunInputs in, int trainEpochs,
                                                           StructuredReport report) {
        List<StructuredOutcome.ScratchRun> runs = new ArrayList<>();
        for (FromScratch kind : s.resolvedFromScratch().runs()) {
            int epochs = kind.epochs(trainEpochs, report.macsBefore(), report.macsAfter());
            TrainingPlan plan = in.plan(epochs);
            CosineWarmupSchedule schedule = in.schedule(plan.totalIterations(), plan);
            out.accept("from scratch (" + kind.cliName() + "): the shrunk architecture re-initialised, " + epochs
                    + " epochs");
            ComputationGraph fresh = ScratchTraining.reinitialise(shrunk, schedule, options.momentum);
            double accuracy = ScratchTraining.train(fresh, in.train(), in.test(), plan, schedule, out).last()
                    .testAccuracy();
            runs.add(new StructuredOutcome.ScratchRun(kind.cliName(), epochs, accuracy));
        }
        return runs;
    }

    private RunRecord record(RunInputs in, RunRecord.ModelInfo model, ComputationGraph shrunk, TrainingHistory history,
                             TrainingPlan train,
                             Optional<TrainingPlan> fineTune, Compaction compaction, StructuredOutcome outcome,
                             long start) {
        TrainingPlan whole = new TrainingPlan(train.epochs() + fineTune.map(TrainingPlan::epochs).orElse(0), train
                .batchSize(), train.iterationsPerEpoch(), history.iterations(), train.progressEvery(), train
                        .evalBatchSize(), train.seed());
        TrainTestData data = in.data();
        return new RunRecord(title(data), commandLine, options.asMap(), new RunRecord.DataInfo(data.name(), data
                .source(), data.synthetic(), data.train().size(), data.test().size(), in.augmentation().toString(), in
                        .normalization().toString()), model, options.method.cliName(), options.method
                                .description(), null, null, whole, history, WeightInspector.inspect(shrunk, true),
                ExampleRun.spectra(shrunk), (System.nanoTime() - start) / 1e9, MachineInfo.current(), null, compaction,
                outcome);
    }

    private String title(TrainTestData data) {
        return String.format(Locale.ROOT, "%s on %s, %s at channel sparsity %.2f", options.model.cliName(), data.name(),
                options.method.cliName(), s.resolvedChannelSparsity());
    }

    private Path outputDirectory(TrainTestData data) {
        if (options.output != null) {
            return options.output.toAbsolutePath();
        }
        String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Path.of("results", options.model.cliName() + "-" + data.name() + "-" + options.method.cliName()
                + "-c" + Math.round(100 * s.resolvedChannelSparsity()) + "-" + time).toAbsolutePath();
    }

    private void printHeader(RunInputs in, TrainingPlan train, int fineTuneEpochs, Path dir) {
        out.accept("rpg4j examples: " + title(in.data()));
        out.accept("  data:     " + in.data().train() + " / test " + in.data().test().size() + " images; from "
                + in.data().source());
        if (in.data().synthetic()) {
            out.accept("  NOTE:     synthetic data: accuracies say nothing about real data sets");
        }
        out.accept(String.format(Locale.ROOT, "  method:   %s; criterion %s, %s ranking, %s schedule%s", options.method
                .description(), method.criterion(), StructuredOptions.ScopeConverter.cliName(s.resolvedScope(method)), s
                        .resolvedSchedule().cliName(), method.hasPenalty() ? ", penalty lambda " + s.resolvedPenalty(
                                method) : ""));
        out.accept(String.format(Locale.ROOT, "  training: %d epochs (%d iterations), then %d fine-tuning epochs; "
                + "from scratch: %s", train.epochs(), train.totalIterations(), fineTuneEpochs, s.resolvedFromScratch()
                        .cliName()));
        out.accept("  machine:  " + MachineInfo.current().summary());
        out.accept("  output:   " + dir);
    }

    private void printFooter(RunRecord record, StructuredOutcome o, Compaction c, Path dir) {
        out.accept(String.format(Locale.ROOT, "size: parameters %,d -> %,d (%.1f %%), MACs/image %,d -> %,d (%.1f %%); "
                + "inference images/s batch 1: %.0f -> %.0f, batch 64: %.0f -> %.0f (load %.1f)", c.paramsBefore(), c
                        .paramsAfter(), 100 * c.paramsRatio(), c.macsBefore(), c.macsAfter(), 100 * c.macsRatio(), c
                                .imagesPerSecondBefore().batch1(), c.imagesPerSecondAfter().batch1(), c
                                        .imagesPerSecondBefore().batch64(), c.imagesPerSecondAfter().batch64(), c
                                                .loadAverage()));
        out.accept(String.format(Locale.ROOT, "done: %s: test accuracy trained %.4f, pruned %.4f, fine-tuned %s, "
                + "from scratch %s; wall time %s", record.title(), o.accuracyBeforePruning(), o.accuracyAfterPruning(),
                o.accuracyFineTuned() == null ? "-" : String.format(Locale.ROOT, "%.4f", o.accuracyFineTuned()), o
                        .scratch().isEmpty() ? "-" : o.scratch().stream().map(r -> String.format(Locale.ROOT,
                                "%.4f (%s, %d epochs)", r.accuracy(), r.kind(), r.epochs())).collect(Collectors
                                        .joining(", ")), Trainer.duration(record.wallSeconds())));
        out.accept("results: " + dir);
    }
}
