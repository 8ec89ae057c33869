package org.rpg4j.examples;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rpg4j.dl4j.Dl4jPruning;
import org.rpg4j.dl4j.Pruning;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankLoss;

/**
 * The README's "Using it from DL4J" snippet as compiled code: {@link #pruneWhileTraining} holds it
 * verbatim between the {@code quick-start} markers ({@code QuickStartTest} checks that the README
 * shows exactly these lines). {@link #main} runs it on a small dense network and random data.
 */
public final class QuickStart {
    private QuickStart() {
    }

    /**
     * Prunes {@code net} to 95 % sparsity with RPG while it trains, prints the report and saves the run.
     *
     * @param net an initialised network (a {@code ComputationGraph} works the same); trained and pruned in place
     * @param trainIterator the training data; {@code iterationsPerEpoch} minibatches per epoch
     * @param epochs number of epochs, {@code >= 1}
     * @param iterationsPerEpoch minibatches per epoch, {@code >= 1}
     * @param file where the network, its masks and the pruner state are saved (a DL4J model zip)
     * @return the attached pruning, after training
     * @throws IOException if the file cannot be written
     */
    public static Pruning pruneWhileTraining(MultiLayerNetwork net, DataSetIterator trainIterator, int epochs,
                                             int iterationsPerEpoch, File file) throws IOException {
        // quick-start:begin
        PruningConfig config = PruningConfig.builder(0.95, epochs * iterationsPerEpoch) // target sparsity, run length
                .rankLoss(RankLoss.lambda(3.0).partialK(0.2))
                .build();
        Pruning pruning = Dl4jPruning.attach(net, config);             // MultiLayerNetwork or ComputationGraph
        net.fit(trainIterator, epochs);                                // your training loop stays as it is
        System.out.println(pruning.report());                          // per-layer sparsity, delta-rank, k, zero rows/columns
        pruning.save(file);                                            // masks and pruner state inside the zip
        // quick-start:end
        return pruning;
    }

    /**
     * Runs {@link #pruneWhileTraining} on a 64-32-10 dense network for 50 epochs of 8 random
     * minibatches of 16 (400 iterations: topology updates after iterations 99, 199 and 299 at the
     * default {@code deltaT = 100}).
     *
     * @param args one optional argument: the file to save to (default {@code quick-start.zip})
     * @throws IOException if the file cannot be written
     */
    public static void main(String[] args) throws IOException {
        File file = new File(args.length > 0 ? args[0] : "quick-start.zip");
        List<DataSet> batches = randomBatches(8, 16, 7);
        pruneWhileTraining(smallNetwork(7), new ListDataSetIterator<>(batches, 1), 50, batches.size(), file);
    }

    /** @return an initialised 64-32-10 dense classifier (ReLU, softmax, SGD with momentum), seeded */
    static MultiLayerNetwork smallNetwork(long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .updater(new Nesterovs(0.05, 0.9)).list()
                .layer(new DenseLayer.Builder().nIn(64).nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(32).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    /** @return {@code count} minibatches of {@code size} Gaussian inputs with one-hot random labels, seeded */
    static List<DataSet> randomBatches(int count, int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<DataSet> batches = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            INDArray features = Nd4j.create(DataType.FLOAT, size, 64);
            INDArray labels = Nd4j.zeros(DataType.FLOAT, size, 10);
            for (int i = 0; i < size; i++) {
                for (int j = 0; j < 64; j++) {
                    features.putScalar(i, j, random.nextGaussian());
                }
                labels.putScalar(i, random.nextInt(10), 1.0);
            }
            batches.add(new DataSet(features, labels));
        }
        return batches;
    }
}
