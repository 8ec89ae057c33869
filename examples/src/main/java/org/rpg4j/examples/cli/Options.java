package org.rpg4j.examples.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rpg4j.examples.data.DatasetKind;
import org.rpg4j.examples.datadriven.DataDrivenOptions;
import org.rpg4j.examples.distill.DistillationOptions;
import org.rpg4j.examples.models.LayerImpl;
import org.rpg4j.examples.models.ModelKind;
import org.rpg4j.examples.models.ShortcutKind;
import org.rpg4j.examples.structured.StructuredOptions;
import org.rpg4j.examples.train.Method;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Every option of the examples' command line, with its default. Defaults follow the reference
 * recipe (SGD with momentum 0.9, coupled weight decay 5e-4, cosine learning rate with warm-up,
 * deltaT 100, lambda 0.5, partialK 0.1); run lengths are up to the user. The pruning options are
 * the {@link PruningOptions} mixin, whose defaults are rpg-core's. Fields are public and mutable for
 * picocli; {@link OptionChecks} and the pruning configuration validate them, with messages naming
 * the option.
 */
@Command(name = "rpg4j-examples", mixinStandardHelpOptions = true, version = "rpg4j examples 0.1.0-SNAPSHOT",
        sortOptions = false, usageHelpWidth = 110,
        description = {"Trains a network on a local data set while pruning it with rpg4j (RPG, RigL-style, gradual "
                + "magnitude) or not at all, printing progress and writing results.json, CSV files, the model zip and "
                + "PNG plots to the output directory.", "",
                "Without arguments, runs the short default job (the small CNN on Fashion-MNIST, or on synthetic data "
                        + "when Fashion-MNIST is not installed, pruned with RPG to 90 %% sparsity).", ""},
        footer = {"", "Examples:",
                "  ResNet-32 x2 on CIFAR-10 with the paper's CIFAR recipe (RPG at 99 %%, 300 epochs):",
                "    --model resnet32 --width 2 --dataset cifar10 --data-dir DIR --method rpg --sparsity 0.99 \\",
                "    --epochs 300 --batch-size 128 --lr 0.1 --weight-decay 5e-4 --lambda 0.5 --partial-k 0.1 \\",
                "    --delta-t 100 --ramp-end 0.8 --update-end 0.8",
                "  A quick dense baseline on Fashion-MNIST:",
                "    --method dense --epochs 1 --subset 6000",
                "",
                "Reference (lambda, partialK) by sparsity (ImageNet recipes): 80 %% (0.5, 0.2), 90 %% (0.5, 0.1),",
                "95 %% (3, 0.2), 98 %% (4, 0.2); CIFAR: (0.5, 0.1)."})
public final class Options {
    @Option(names = "--model", converter = Converters.Model.class, paramLabel = "NAME",
            description = "resnet20, resnet32, resnet56, vgg19 or small-cnn (default: ${DEFAULT-VALUE})")
    public ModelKind model = ModelKind.SMALL_CNN;

    @Option(names = "--width", paramLabel = "W", description = "ResNet width multiplier (default: ${DEFAULT-VALUE})")
    public int width = 1;

    @Option(names = "--shortcut", paramLabel = "A|B",
            description = "ResNet shortcut when the shape changes: A = zero-padded identity, B = 1x1 conv + BN "
                    + "(default: ${DEFAULT-VALUE})")
    public ShortcutKind shortcut = ShortcutKind.A;

    @Option(names = "--dataset", converter = Converters.Dataset.class, paramLabel = "NAME",
            description = "fashion-mnist, mnist, cifar10 or synthetic (default: fashion-mnist, or synthetic data when "
                    + "it is not installed and no data option is given); a data set named here must be found")
    public DatasetKind dataset;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "directory of the data set files, which must hold them (default for fashion-mnist: "
                    + "/usr/share/datasets/fashion-mnist)")
    public Path dataDir;

    @Option(names = "--method", converter = Converters.Methods.class, paramLabel = "NAME",
            description = "dense, gmp, rigl, rpg, rpg-reg, or a structured method: l1-filter, l2-filter, slimming, ssl, "
                    + "or a data-driven one: hrank, dropnet, channel-pruning (default: ${DEFAULT-VALUE})")
    public Method method = Method.RPG;

    @Option(names = "--sparsity", paramLabel = "S",
            description = "target sparsity in [0, 1) of the unstructured methods (default: ${DEFAULT-VALUE})")
    public double sparsity = 0.9;

    /** The pruning options ({@code --delta-t}, {@code --budget}, {@code --lambda}, ...). */
    @Mixin
    public PruningOptions pruning = new PruningOptions();

    /** The structured methods' options ({@code --channel-sparsity}, {@code --from-scratch}, ...). */
    @Mixin
    public StructuredOptions structured = new StructuredOptions();

    /** The data-driven structured methods' options ({@code --stat-batches}, {@code --dropnet-rounds}, ...). */
    @Mixin
    public DataDrivenOptions dataDriven = new DataDrivenOptions();

    @Option(names = "--epochs", paramLabel = "N", description = "epochs (default: ${DEFAULT-VALUE})")
    public int epochs = 10;

    @Option(names = "--batch-size", paramLabel = "N", description = "training batch size (default: ${DEFAULT-VALUE})")
    public int batchSize = 128;

    @Option(names = "--lr", paramLabel = "LR", description = "peak learning rate (default: ${DEFAULT-VALUE})")
    public double lr = 0.1;

    @Option(names = "--warmup-epochs", paramLabel = "E",
            description = "epochs of linear learning-rate warm-up before the cosine decay, may be fractional "
                    + "(default: ${DEFAULT-VALUE})")
    public double warmupEpochs = 1.0;

    @Option(names = "--momentum", paramLabel = "M", description = "heavy-ball momentum (default: ${DEFAULT-VALUE})")
    public double momentum = 0.9;

    @Option(names = "--weight-decay", paramLabel = "WD",
            description = "coupled weight decay (L2) on conv and dense weights and biases, none on batch norm "
                    + "(default: ${DEFAULT-VALUE})")
    public double weightDecay = 5e-4;

    @Option(names = "--label-smoothing", paramLabel = "EPS",
            description = "label smoothing (default: ${DEFAULT-VALUE})")
    public double labelSmoothing = 0.0;

    @Option(names = "--seed", paramLabel = "N", description = "seed of everything random (default: ${DEFAULT-VALUE})")
    public long seed = 42;

    @Option(names = "--output", paramLabel = "DIR",
            description = "output directory (default: results/<model>-<dataset>-<method>-<time>)")
    public Path output;

    @Option(names = "--init-from", paramLabel = "ZIP",
            description = "start from the weights (and batch-norm statistics) of a model.zip written by an earlier "
                    + "run of the same --model and --width, e.g. a dense run, instead of a random initialisation; "
                    + "the optimiser starts fresh")
    public Path initFrom;

    /** Distillation from a teacher ({@code --teacher}, {@code --temperature}, {@code --hardness}). */
    @Mixin
    public DistillationOptions distillation = new DistillationOptions();

    @Mixin
    public SparseExportOptions sparseExport = new SparseExportOptions();

    @Option(names = "--results-only",
            description = "write only results.json, metrics.csv and layers.csv: no model.zip, no plots (for studies "
                    + "of many runs)")
    public boolean resultsOnly;

    @Option(names = "--max-iterations", paramLabel = "N",
            description = "stop after this many iterations; the schedules are fitted to it (default: no limit)")
    public long maxIterations = 0;

    @Option(names = "--subset", paramLabel = "N", description = "use only the first N training images (default: all)")
    public int subset = 0;

    @Option(names = "--test-subset", paramLabel = "N", description = "use only the first N test images (default: all)")
    public int testSubset = 0;

    @Option(names = "--augment", converter = Converters.Augment.class, paramLabel = "auto|none|crop-flip",
            description = "training augmentation; auto = crop-flip for 32x32 colour images, none otherwise "
                    + "(default: auto)")
    public String augment = "auto";

    @Option(names = "--layers", converter = Converters.Layers.class, paramLabel = "standard|fast|auto",
            description = "convolution, batch-norm and ReLU layers: DL4J's standard ones, rpg4j's fast ones, or auto "
                    + "= fast when ND4J has oneDNN (default: ${DEFAULT-VALUE})")
    public LayerImpl layers = LayerImpl.AUTO;

    @Option(names = "--progress-every", paramLabel = "N",
            description = "iterations between progress lines (default: ${DEFAULT-VALUE})")
    public int progressEvery = 20;

    @Option(names = "--eval-batch-size", paramLabel = "N", description = "test batch size (default: ${DEFAULT-VALUE})")
    public int evalBatchSize = 256;

    /** Checkpoints and --resume. */
    @picocli.CommandLine.Mixin
    public CheckpointOptions checkpoints = new CheckpointOptions();

    /** @return every option's value by its long name, for results.json */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model.cliName());
        m.put("width", width);
        m.put("shortcut", shortcut.name());
        m.put("dataset", dataset == null ? null : dataset.cliName());
        m.put("dataDir", dataDir == null ? null : dataDir.toString());
        m.put("method", method.cliName());
        m.put("sparsity", sparsity);
        m.putAll(pruning.asMap());
        m.putAll(structured.asMap());
        m.putAll(dataDriven.asMap());
        m.put("epochs", epochs);
        m.put("batchSize", batchSize);
        m.put("lr", lr);
        m.put("warmupEpochs", warmupEpochs);
        m.put("momentum", momentum);
        m.put("weightDecay", weightDecay);
        m.put("labelSmoothing", labelSmoothing);
        m.put("seed", seed);
        m.put("initFrom", initFrom == null ? null : initFrom.toString());
        m.putAll(distillation.asMap());
        m.put("resultsOnly", resultsOnly);
        m.put("maxIterations", maxIterations);
        m.put("subset", subset);
        m.put("testSubset", testSubset);
        m.put("augment", augment);
        m.put("layers", layers.cliName());
        m.put("progressEvery", progressEvery);
        m.put("evalBatchSize", evalBatchSize);
        return m;
    }
}
