package org.rpg4j.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.rpg4j.examples.cli.PruningOptions;
import org.rpg4j.examples.data.DatasetKind;
import org.rpg4j.examples.models.ModelKind;
import org.rpg4j.examples.study.StudyPlan;
import org.rpg4j.examples.study.StudyRecipe;
import org.rpg4j.examples.study.StudyReport;
import org.rpg4j.examples.study.StudyRun;
import org.rpg4j.examples.study.StudyRunner;
import org.rpg4j.examples.train.Method;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The comparison study's command line ({@code examples/study.sh} runs it): dense, gradual
 * magnitude pruning, RigL-style regrowth, RPG and RPG as a regulariser on the small CNN and
 * ResNet-20, at 90, 95, 98 and 99 % sparsity, three seeds at 98 and 99 %. It resumes an interrupted
 * study (finished runs are kept), can run as one of several shards in parallel processes, and writes
 * CSV files, {@code summary.md} and PNG plots.
 */
@Command(name = "rpg4j-study", mixinStandardHelpOptions = true, version = "rpg4j study 0.1.0-SNAPSHOT",
        sortOptions = false, usageHelpWidth = 110,
        description = {"Runs the comparison study of dense training, gmp, rigl, rpg and rpg-reg and writes its "
                + "results (runs/<id>/results.json, runs.csv, layers.csv, summary.csv, summary.md, PNG plots).", ""})
public final class Study implements Callable<Integer> {
    /**
     * Full study, small CNN: the first 20,000 Fashion-MNIST training images for 3 epochs (468
     * iterations, 35 topology updates until the target at 90 % of training), all 10,000 test images.
     */
    static final StudyRecipe SMALL_CNN = new StudyRecipe(ModelKind.SMALL_CNN, 20000, 0, 3, 128, 0.05, 0.2, 12);
    /**
     * Full study, ResNet-20: the first 10,000 training images for 2 epochs (156 iterations, 27
     * topology updates), 5,000 test images.
     */
    static final StudyRecipe RESNET20 = new StudyRecipe(ModelKind.RESNET20, 10000, 5000, 2, 128, 0.1, 0.2, 5);
    /** Quick study, small CNN: 6,000 images, 2 epochs (94 iterations). */
    static final StudyRecipe SMALL_CNN_QUICK = new StudyRecipe(ModelKind.SMALL_CNN, 6000, 2000, 2, 128, 0.05, 0.2,
            4);
    /** Quick study, ResNet-20: 2,000 images, 2 epochs (32 iterations). */
    static final StudyRecipe RESNET20_QUICK = new StudyRecipe(ModelKind.RESNET20, 2000, 1000, 2, 128, 0.1, 0.2, 2);

    @Option(names = "--quick", description = "a short study (tiny budgets, one seed, 90 and 99 %%) to try the "
            + "pipeline in under ten minutes; writes to results/study-quick unless --output is given")
    boolean quick;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "fashion-mnist, mnist, cifar10 or synthetic (default: fashion-mnist, or synthetic data when "
                    + "it is not installed and no data option is given)")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "directory of the data set's files")
    Path dataDir;

    @Option(names = "--models", split = ",", paramLabel = "NAME",
            description = "models to study (default: small-cnn,resnet20)")
    List<String> models = List.of("small-cnn", "resnet20");

    @Option(names = "--sparsities", split = ",", paramLabel = "S",
            description = "target sparsities (default: 0.9,0.95,0.98,0.99; quick: 0.9,0.99)")
    List<Double> sparsities;

    @Option(names = "--seeds", paramLabel = "N",
            description = "seeds at 98 %% and above and for dense training (default: 3; quick: 1)")
    Integer seeds;

    @Option(names = "--methods", split = ",", paramLabel = "NAME",
            description = "methods to run (default: dense,gmp,rigl,rpg,rpg-reg)")
    List<String> methods = List.of("dense", "gmp", "rigl", "rpg", "rpg-reg");

    /** The pruning options of every pruning run; {@code --delta-t}, when given, replaces the recipes' deltaT. */
    @Mixin
    PruningOptions pruning = new PruningOptions();

    @Spec
    CommandSpec spec;

    @Option(names = "--from-dense", description = "start every pruning run from the trained dense run of its model "
            + "and seed (dense runs then save model.zip) instead of a random initialisation")
    boolean fromDense;

    @Option(names = "--only-dense",
            description = "run only the dense runs (study.sh runs them first with --from-dense)")
    boolean onlyDense;

    @Option(names = "--output", paramLabel = "DIR",
            description = "output directory (default: docs/results; quick: results/study-quick)")
    Path output;

    @Option(names = "--shard", paramLabel = "I/N", description = "run only the runs i, i+N, i+2N, ... (1-based I), "
            + "for N processes in parallel; the report is then written by a final --report-only (default: 1/1)")
    String shard = "1/1";

    @Option(names = "--report-only", description = "do not train: write the report of the runs that have finished")
    boolean reportOnly;

    @Option(names = "--list", description = "print the planned runs and their command lines, and exit")
    boolean list;

    @CommandLine.Mixin
    org.rpg4j.examples.study.StudyCheckpointOptions checkpoints = new org.rpg4j.examples.study.StudyCheckpointOptions();

    private final List<String> commandLine;

    private Study(List<String> commandLine) {
        this.commandLine = commandLine;
    }

    /**
     * @param args command-line arguments ({@code --help} lists them)
     */
    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new Study(Arrays.asList(args)));
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                line.getErr().println("error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        StudyPlan plan = plan();
        List<StudyRun> runs = plan.runs();
        Path dir = (output != null ? output : Path.of(quick ? "results/study-quick" : "docs/results"))
                .toAbsolutePath();
        StudyRunner runner = new StudyRunner(dir, checkpoints.arguments(), System.out::println);
        if (list) {
            for (StudyRun run : runs) {
                System.out.println(run.id() + (runner.finished(run) ? " (finished)" : "") + ": "
                        + String.join(" ", run.arguments()));
            }
            return 0;
        }
        int[] shardOf = shard();
        System.out.println("rpg4j study: " + runs.size() + " runs into " + dir);
        List<String> failed = new ArrayList<>();
        if (!reportOnly) {
            List<StudyRun> toRun = onlyDense ? runs.stream().filter(r -> r.method() == Method.DENSE).toList() : runs;
            failed = runner.run(toRun, shardOf[0], shardOf[1]);
        }
        if (reportOnly || (shardOf[1] == 1 && !onlyDense)) {
            StudyReport report = StudyReport.load(runner, runs);
            report.write(dir, ("examples/study.sh " + String.join(" ", studyArguments())).trim());
            System.out.println("report: " + report.results().size() + " of " + runs.size() + " runs finished; "
                    + dir.resolve("summary.md") + ", runs.csv, layers.csv, summary.csv, *.png");
        }
        if (!failed.isEmpty()) {
            System.err.println("failed runs: " + String.join(", ", failed));
            return 1;
        }
        return 0;
    }

    private StudyPlan plan() {
        List<StudyRecipe> recipes = new ArrayList<>();
        for (String name : models) {
            ModelKind model = ModelKind.fromCliName(name);
            recipes.add(switch (model) {
                case SMALL_CNN -> quick ? SMALL_CNN_QUICK : SMALL_CNN;
                case RESNET20 -> quick ? RESNET20_QUICK : RESNET20;
                default -> throw new IllegalArgumentException("--models: the study has recipes for small-cnn and "
                        + "resnet20, got " + name);
            });
        }
        List<Double> s = sparsities != null ? sparsities : quick ? List.of(0.9, 0.99) : List.of(0.9, 0.95, 0.98, 0.99);
        List<Method> chosen = methods.stream().map(Method::fromCliName).distinct().toList();
        if (spec.commandLine().getParseResult().hasMatchedOption("--delta-t")) {
            recipes = recipes.stream().map(r -> r.withDeltaT(pruning.deltaT)).toList();
        }
        return new StudyPlan(recipes, s, seeds != null ? seeds : quick ? 1 : 3,
                dataset == null ? null : DatasetKind.fromCliName(dataset), dataDir, chosen, pruning, fromDense);
    }

    /** @return the command line without the options study.sh adds to run shards and the report */
    private List<String> studyArguments() {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < commandLine.size(); i++) {
            String a = commandLine.get(i);
            if (a.equals("--shard")) {
                i++;
            } else if (!a.equals("--report-only") && !a.equals("--only-dense") && !a.startsWith("--shard=")) {
                args.add(a);
            }
        }
        return args;
    }

    /** @return {0-based index, count} */
    private int[] shard() {
        String[] parts = shard.split("/");
        try {
            if (parts.length == 2) {
                int index = Integer.parseInt(parts[0].trim());
                int count = Integer.parseInt(parts[1].trim());
                if (count >= 1 && index >= 1 && index <= count) {
                    return new int[] {index - 1, count};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--shard must be I/N with 1 <= I <= N, got " + shard);
    }
}
