package org.rpg4j.benchmarks.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rpg4j.dl4j.Dl4jPruning;
import org.rpg4j.dl4j.Pruning;
import org.rpg4j.dl4j.deploy.format.SparseModels;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.sparse.format.ValuePrecision;

/**
 * The accuracy cost of float16 values: a small CNN (conv 5x5x16 - max pool - conv 5x5x32 - max pool
 * - dense 128 - softmax 10, 71k parameters) trained with Adam on the first {@code TRAIN} Fashion-MNIST
 * images for {@code EPOCHS} epochs while rpg4j prunes it (RPG defaults) to each target sparsity;
 * then test accuracy on the first {@code TEST} test images of the trained network, of the network
 * loaded from the float32 sparse file and of the one loaded from the float16 file, the largest
 * absolute difference of any softmax output against the trained network, and the three file sizes.
 *
 * <p>Usage: {@code Float16Cost OUTPUT_DIR [TRAIN [TEST [EPOCHS]]]} (defaults 12000, 10000, 2).
 * Writes {@code float16-cost.csv}.
 */
public final class Float16Cost {
    private static final int BATCH = 64;

    private Float16Cost() {}

    /**
     * @param args output directory, then optional train count, test count and epochs
     * @throws IOException if Fashion-MNIST is missing or a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path out = Files.createDirectories(Path.of(args[0]));
        int train = args.length > 1 ? Integer.parseInt(args[1]) : 12_000;
        int test = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int epochs = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        DataSet trainSet = FashionMnistFiles.read("train", train);
        DataSet testSet = FashionMnistFiles.read("t10k", test);
        List<String> rows = new ArrayList<>();
        rows.add("sparsity,accuracy_trained,accuracy_f32,accuracy_f16,max_abs_diff_f32,max_abs_diff_f16,"
                + "dl4j_bytes,sparse_f32_bytes,sparse_f16_bytes");
        System.out.printf("%8s %9s %9s %9s %12s %12s %10s %10s %10s%n", "sparsity", "acc", "acc f32", "acc f16",
                "maxdiff f32", "maxdiff f16", "DL4J B", "f32 B", "f16 B");
        for (double sparsity : new double[] {0.9, 0.98}) {
            MultiLayerNetwork net = new MultiLayerNetwork(configuration());
            net.init();
            long iterations = (long) epochs * (train / BATCH);
            Pruning pruning = Dl4jPruning.attach(net, PruningConfig.builder(sparsity, iterations)
                    .deltaT(25).build());
            for (int e = 0; e < epochs; e++) {
                for (DataSet batch : trainSet.batchBy(BATCH)) {
                    if (batch.numExamples() == BATCH) {
                        net.fit(batch);
                    }
                }
            }
            pruning.finish();
            String tag = String.format("small-cnn-%02d", Math.round(sparsity * 100));
            Path f32 = out.resolve(tag + "-sparse-f32.zip");
            Path f16 = out.resolve(tag + "-sparse-f16.zip");
            Path dl4j = out.resolve(tag + "-dl4j.zip");
            SparseModels.write(net, f32, ValuePrecision.FLOAT32);
            SparseModels.write(net, f16, ValuePrecision.FLOAT16);
            ModelSerializer.writeModel(net, dl4j.toFile(), false);
            INDArray expected = net.output(testSet.getFeatures(), false);
            INDArray out32 = SparseModels.loadMultiLayerNetwork(f32).output(testSet.getFeatures(), false);
            INDArray out16 = SparseModels.loadMultiLayerNetwork(f16).output(testSet.getFeatures(), false);
            INDArray labels = testSet.getLabels();
            String row = String.format("%.2f,%.4f,%.4f,%.4f,%.3g,%.3g,%d,%d,%d", sparsity, accuracy(expected, labels),
                    accuracy(out32, labels), accuracy(out16, labels), maxAbsDiff(expected, out32),
                    maxAbsDiff(expected, out16), Files.size(dl4j), Files.size(f32), Files.size(f16));
            rows.add(row);
            String[] v = row.split(",");
            System.out.printf("%8s %9s %9s %9s %12s %12s %10s %10s %10s%n", (Object[]) v);
        }
        Files.write(out.resolve("float16-cost.csv"), rows, StandardCharsets.UTF_8);
    }

    private static MultiLayerConfiguration configuration() {
        return new NeuralNetConfiguration.Builder().seed(42).dataType(DataType.FLOAT).updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU).list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(16).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(32).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build())
                .setInputType(InputType.convolutional(28, 28, 1)).build();
    }

    private static double accuracy(INDArray probabilities, INDArray labels) {
        INDArray predicted = probabilities.argMax(1);
        INDArray actual = labels.argMax(1);
        return predicted.eq(actual).castTo(DataType.FLOAT).meanNumber().doubleValue();
    }

    private static double maxAbsDiff(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }
}
