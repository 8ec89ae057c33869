package org.rpg4j.examples.datadriven;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.rpg4j.dl4j.structured.StructuredConfig;
import org.rpg4j.dl4j.structured.StructuredPruning;
import org.rpg4j.dl4j.structured.StructuredReport;
import org.rpg4j.dl4j.structured.StructuredResult;
import org.rpg4j.dl4j.structured.data.ChannelPruning;
import org.rpg4j.dl4j.structured.data.DataDrivenResult;
import org.rpg4j.dl4j.structured.data.DropNet;
import org.rpg4j.dl4j.structured.data.HRank;
import org.rpg4j.dl4j.structured.data.WeightReset;
import org.rpg4j.examples.data.Augmentation;
import org.rpg4j.examples.data.BatchAssembler;
import org.rpg4j.examples.data.DataSources;
import org.rpg4j.examples.data.DatasetKind;
import org.rpg4j.examples.data.Normalization;
import org.rpg4j.examples.data.TrainTestData;
import org.rpg4j.examples.models.NetworkSettings;
import org.rpg4j.examples.models.SmallCnn;
import org.rpg4j.examples.models.StandardLayers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains the small CNN densely on Fashion-MNIST, then prunes a copy per method (L1 filter norm,
 * HRank, DropNet, Channel Pruning) to the same channel counts of {@code c1_conv} and {@code c2_conv}
 * ({@code fc1} is excluded: HRank has no maps to rank there), fine-tunes each for the same number of
 * images and prints accuracy (dense, right after pruning, after fine-tuning), parameters,
 * multiply-adds, the statistics cost and the pruning time as a Markdown table (also written to
 * {@code --out}). DropNet spends its fine-tuning inside its rounds; its pruning time is its rounds'
 * statistics and selections plus the final shrink.
 */
@Command(name = "DataDrivenComparison", mixinStandardHelpOptions = true,
        description = "L1-filter vs HRank vs DropNet vs Channel Pruning at the same channel counts")
public final class DataDrivenComparison implements Callable<Integer> {
    @Option(names = "--subset", description = "training images (default ${DEFAULT-VALUE})")
    int subset = 6000;
    @Option(names = "--test-subset", description = "test images (default ${DEFAULT-VALUE})")
    int testSubset = 2000;
    @Option(names = "--epochs", description = "dense training epochs (default ${DEFAULT-VALUE})")
    int epochs = 2;
    @Option(names = "--finetune-epochs", description = "fine-tuning epochs after pruning (default ${DEFAULT-VALUE})")
    int finetuneEpochs = 1;
    @Option(names = "--channel-sparsity", description = "fraction of channels removed (default ${DEFAULT-VALUE})")
    double channelSparsity = 0.5;
    @Option(names = "--stat-batches", description = "batches read for statistics (default ${DEFAULT-VALUE})")
    int statBatches = 10;
    @Option(names = "--samples", description = "Channel Pruning patch rows per layer (default ${DEFAULT-VALUE})")
    int samples = 4000;
    @Option(names = "--dropnet-rounds", description = "DropNet rounds (default ${DEFAULT-VALUE})")
    int rounds = 3;
    @Option(names = "--batch-size", description = "batch size (default ${DEFAULT-VALUE})")
    int batchSize = 64;
    @Option(names = "--lr", description = "Adam learning rate (default ${DEFAULT-VALUE})")
    double lr = 1e-3;
    @Option(names = "--seed", description = "seed (default ${DEFAULT-VALUE})")
    long seed = 1;
    @Option(names = "--out", description = "directory for results.md (default ${DEFAULT-VALUE})")
    Path out = Path.of("results", "datadriven");

    private final List<String> rows = new ArrayList<>();

    /** @param args options; {@code --help} lists them */
    public static void main(String[] args) {
        System.exit(new CommandLine(new DataDrivenComparison()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        TrainTestData data = DataSources.load(DatasetKind.FASHION_MNIST, null, 1, 28, seed).head(subset, testSubset);
        Normalization norm = Normalization.of(data.train());
        ImageSetIterator train = new ImageSetIterator(new BatchAssembler(data.train(), norm, Augmentation.NONE, 0),
                batchSize, true, seed);
        ImageSetIterator test = new ImageSetIterator(new BatchAssembler(data.test(), norm, Augmentation.NONE, 0),
                256, false, seed);
        ComputationGraph dense = SmallCnn.build(new NetworkSettings(1, 28, 28, 10, new Adam(lr), 0,
                StandardLayers.INSTANCE, seed));
        long start = System.nanoTime();
        dense.fit(train, epochs);
        double denseAccuracy = accuracy(dense, test);
        log("dense %s: %d epochs on %d images, test accuracy %.4f, %.0f s", data.name(), epochs, subset,
                denseAccuracy, seconds(start));
        StructuredConfig config = StructuredConfig.builder(channelSparsity).exclude("fc1").inputShape(1, 28, 28)
                .build();
        StructuredConfig l1 = StructuredConfig.builder(channelSparsity).criterion("l1-filter").exclude("fc1")
                .inputShape(1, 28, 28).build();
        rows.add("| method | accuracy after pruning | test accuracy | parameters | MACs/image | statistics: ms/batch "
                + "| statistics: retained bytes | prune s | fine-tune s |");
        rows.add("|---|---|---|---|---|---|---|---|---|");
        rows.add(String.format(Locale.ROOT, "| dense | - | %.4f | - | - | - | - | - | - |", denseAccuracy));
        oneShot("l1-filter", () -> Pruned.of(StructuredPruning.prune(dense.clone(), l1)), train, test);
        oneShot(HRank.NAME, () -> Pruned.of(HRank.prune(dense.clone(), config, train, statBatches)), train, test);
        oneShot(ChannelPruning.NAME, () -> Pruned.of(ChannelPruning.prune(dense.clone(), config, train, statBatches,
                samples, seed)), train, test);
        dropNet(dense, config, train, test);
        Files.createDirectories(out);
        Files.write(out.resolve("results.md"), rows);
        rows.forEach(System.out::println);
        return 0;
    }

    private void oneShot(String method, java.util.function.Supplier<Pruned> prune, DataSetIterator train,
                         ImageSetIterator test) {
        long start = System.nanoTime();
        Pruned p = prune.get();
        double pruneSeconds = seconds(start);
        double before = accuracy(p.network(), test);
        long tune = System.nanoTime();
        ((ComputationGraph) p.network()).fit(train, finetuneEpochs);
        log("%s: accuracy %.4f right after pruning", method, before);
        row(method, p, before, accuracy(p.network(), test), pruneSeconds, seconds(tune));
    }

    private void dropNet(ComputationGraph dense, StructuredConfig config, DataSetIterator train,
                         ImageSetIterator test) {
        ComputationGraph net = dense.clone();
        long start = System.nanoTime();
        DropNet d = DropNet.attach(net, config, rounds, WeightReset.KEEP);
        int iterations = finetuneEpochs * (int) Math.ceil(subset / (double) batchSize);
        long dropNanos = 0;
        for (int r = 0; r < rounds; r++) {
            long drop = System.nanoTime();
            d.dropRound(train, statBatches);
            dropNanos += System.nanoTime() - drop;
            train.reset();
            for (int i = 0; i < iterations / rounds; i++) {
                if (!train.hasNext()) {
                    train.reset();
                }
                net.fit(train.next());
            }
        }
        long finish = System.nanoTime();
        Pruned p = Pruned.of(d.finish());
        double pruneSeconds = (dropNanos + System.nanoTime() - finish) / 1e9;
        // fine-tune s: the whole run minus the rounds' statistics and the final shrink
        row(DropNet.NAME + " (" + rounds + " rounds, keep)", p, Double.NaN, accuracy(p.network(), test), pruneSeconds,
                seconds(start) - pruneSeconds);
    }

    /** One table row; {@code pruned} is NaN where the method has no moment "right after pruning". */
    private void row(String method, Pruned p, double pruned, double accuracy, double pruneSeconds,
                     double tuneSeconds) {
        StructuredReport r = p.report();
        String stats = p.result() == null ? "- | -" : String.format(Locale.ROOT, "%.1f | %d",
                p.result().statistics().nanosPerBatch() / 1e6, p.result().statistics().retainedBytes());
        String afterPruning = Double.isNaN(pruned) ? "-" : String.format(Locale.ROOT, "%.4f", pruned);
        rows.add(String.format(Locale.ROOT, "| %s | %s | %.4f | %d -> %d | %d -> %d | %s | %.1f | %.1f |", method,
                afterPruning, accuracy, r.paramsBefore(), r.paramsAfter(), r.macsBefore(), r.macsAfter(), stats,
                pruneSeconds, tuneSeconds));
        log("%s", rows.get(rows.size() - 1));
    }

    private static double accuracy(Model net, ImageSetIterator test) {
        test.reset();
        return ((ComputationGraph) net).evaluate(test).accuracy();
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static void log(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }

    /** A pruned network and where it came from. */
    private record Pruned(Model network, StructuredReport report, DataDrivenResult result) {
        static Pruned of(StructuredResult r) {
            return new Pruned(r.network(), r.report(), null);
        }

        static Pruned of(DataDrivenResult r) {
            return new Pruned(r.result().network(), r.result().report(), r);
        }
    }
}
