package org.rpg4j.examples.sensitivity;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.rpg4j.dl4j.structured.SensitivityAnalysis;
import org.rpg4j.dl4j.structured.SensitivityConfig;
import org.rpg4j.dl4j.structured.SensitivityTable;
import org.rpg4j.examples.data.Augmentation;
import org.rpg4j.examples.data.BatchAssembler;
import org.rpg4j.examples.data.DataSources;
import org.rpg4j.examples.data.DatasetKind;
import org.rpg4j.examples.data.Normalization;
import org.rpg4j.examples.data.TrainTestData;
import org.rpg4j.examples.models.LayerImpl;
import org.rpg4j.examples.models.NetworkSettings;
import org.rpg4j.examples.models.SmallCnn;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Li et al.'s per-layer pruning sensitivity of a trained network: each prunable layer (channel
 * group) pruned alone at a ladder of ratios by filter norm, test loss and accuracy measured, weights
 * restored. Writes {@code sensitivity.csv} and {@code sensitivity.png} (and {@code model.zip} when it
 * trained the network itself).
 *
 * <pre>
 * java -cp examples.jar org.rpg4j.examples.sensitivity.Sensitivity --train-images 12000 --epochs 1 --out results/sensitivity
 * java -cp examples.jar org.rpg4j.examples.sensitivity.Sensitivity --model runs/x/model.zip --out results/sensitivity
 * </pre>
 */
@Command(name = "rpg4j-sensitivity", mixinStandardHelpOptions = true, version = "rpg4j sensitivity 0.1.0-SNAPSHOT",
        sortOptions = false, usageHelpWidth = 110, description = {"Per-layer pruning sensitivity (Li et al. 2017) of "
                + "a trained network or of a small CNN it trains; writes sensitivity.csv and sensitivity.png.", ""})
public final class Sensitivity implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "ZIP", description = "a DL4J model zip (ComputationGraph or "
            + "MultiLayerNetwork) trained on --dataset, normalised with the statistics of its first --train-images "
            + "training images (give the training run's count); without it a small CNN is trained first")
    Path model;

    @Option(names = "--dataset", paramLabel = "NAME", description = "fashion-mnist, mnist, cifar10 or synthetic "
            + "(default: fashion-mnist)")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "directory of the data set's files")
    Path dataDir;

    @Option(names = "--train-images", paramLabel = "N",
            description = "training images used (default: ${DEFAULT-VALUE})")
    int trainImages = 12000;

    @Option(names = "--epochs", paramLabel = "N", description = "training epochs of the small CNN (default: "
            + "${DEFAULT-VALUE})")
    int epochs = 1;

    @Option(names = "--batch-size", paramLabel = "N", description = "training and evaluation batch (default: "
            + "${DEFAULT-VALUE})")
    int batchSize = 100;

    @Option(names = "--eval-batches", paramLabel = "N", description = "test batches per point (default: "
            + "${DEFAULT-VALUE})")
    int evalBatches = 20;

    @Option(names = "--ratios", split = ",", paramLabel = "R", description = "pruning ratios (default: 0.1,...,0.9)")
    List<Double> ratios;

    @Option(names = "--criterion", paramLabel = "NAME", description = "l1-filter or l2-filter (default: "
            + "${DEFAULT-VALUE})")
    String criterion = "l1-filter";

    @Option(names = "--seed", paramLabel = "N", description = "seed of initialisation and shuffling (default: "
            + "${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out = Path.of("results", "sensitivity");

    /**
     * @param args command line
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Sensitivity()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        if (trainImages < batchSize || batchSize < 1 || epochs < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--train-images must be >= --batch-size "
                    + ">= 1 and --epochs >= 1, got " + trainImages + ", " + batchSize + ", " + epochs);
        }
        TrainTestData data = DataSources.load(dataset == null ? null : DatasetKind.fromCliName(dataset), dataDir, 1,
                28, seed).head(trainImages, evalBatches * batchSize);
        Normalization normalization = Normalization.of(data.train());
        Files.createDirectories(out);
        long start = System.nanoTime();
        Model net = model != null ? load(model) : train(data, normalization);
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        SensitivityConfig.Builder config = SensitivityConfig.builder(evalBatches).criterion(criterion);
        if (ratios != null) {
            config.ratios(ratios.stream().mapToDouble(Double::doubleValue).toArray());
        }
        DataSet test = all(new BatchAssembler(data.test(), normalization, Augmentation.NONE, 0.0));
        start = System.nanoTime();
        SensitivityTable table = SensitivityAnalysis.run(net, config.build(), new ViewIterator(test, batchSize));
        double analysisSeconds = (System.nanoTime() - start) / 1e9;
        Files.writeString(out.resolve("sensitivity.csv"), table.toCsv());
        SensitivityPlot.write(String.format(Locale.ROOT, "Pruning sensitivity (%s, %s), %s", criterion,
                data.name(), model != null ? model.getFileName() : "small CNN"), table, out.resolve("sensitivity.png"));
        System.out.printf(Locale.ROOT, "%s: baseline loss %.4f, accuracy %.4f on %d test images; model ready in %.0f "
                + "s, analysis %.0f s; wrote %s%n", data.name(), table.baselineLoss(), table.baselineAccuracy(),
                table.examples(), trainSeconds, analysisSeconds, out.resolve("sensitivity.csv"));
        System.out.print(table.toCsv());
        return 0;
    }

    private static Model load(Path zip) throws IOException {
        File f = zip.toFile();
        if (!f.isFile()) {
            throw new IllegalArgumentException("--model " + zip + " is not a file");
        }
        try {
            return ModelSerializer.restoreComputationGraph(f, false);
        } catch (RuntimeException notAGraph) {
            return ModelSerializer.restoreMultiLayerNetwork(f, false);
        }
    }

    private ComputationGraph train(TrainTestData data, Normalization normalization) throws IOException {
        ComputationGraph net = SmallCnn.build(new NetworkSettings(data.train().channels(), data.train().height(), data
                .train().width(), data.train().numClasses(), new Adam(1e-3), 0.0, LayerImpl.AUTO.kit(), seed));
        BatchAssembler batches = new BatchAssembler(data.train(), normalization, Augmentation.NONE, 0.0);
        SplittableRandom random = new SplittableRandom(seed);
        int n = data.train().size();
        for (int epoch = 0; epoch < epochs; epoch++) {
            int[] order = BatchAssembler.shuffledIndices(n, random);
            for (int from = 0; from + batchSize <= n; from += batchSize) {
                net.fit(batches.batch(order, from, from + batchSize, random));
            }
            System.out.printf(Locale.ROOT, "epoch %d of %d: loss %.4f%n", epoch + 1, epochs, net.score());
        }
        ModelSerializer.writeModel(net, out.resolve("model.zip").toFile(), true);
        return net;
    }

    private static DataSet all(BatchAssembler test) {
        int[] order = new int[test.images().size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return test.batch(order, 0, order.length, new SplittableRandom(0));
    }
}
