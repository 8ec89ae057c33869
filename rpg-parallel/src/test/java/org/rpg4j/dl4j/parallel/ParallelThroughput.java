package org.rpg4j.dl4j.parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rpg4j.dl4j.Dl4jPruning;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankLoss;

/**
 * Images per second on a CIFAR-shaped CNN (3x32x32, conv 16 / conv 32 / pool / dense 64 / 10,
 * batch 32, synthetic data) with 1 worker (plain {@code net.fit}) and 2 ParallelWrapper workers,
 * each with and without rpg4j, the four variants interleaved in every repetition after one warm-up
 * fit each; plus rpg4j's main-thread cost per round (round boundary) and per topology update.
 *
 * <p>Run: {@code rpg-parallel/throughput.sh [rounds] [reps] [mode]} (defaults 30, 3 and
 * {@code AVERAGING}; {@code SHARED_GRADIENTS} trains the 2-worker variants in that mode).
 */
public final class ParallelThroughput {
    private static final int BATCH = 32;

    private ParallelThroughput() {}

    /**
     * @param args rounds per measured fit, repetitions, ParallelWrapper training mode
     * @throws Exception if training fails
     */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        ParallelWrapper.TrainingMode mode = args.length > 2 ? ParallelWrapper.TrainingMode.valueOf(args[2])
                : ParallelWrapper.TrainingMode.AVERAGING;
        long total = (long) (reps + 1) * rounds;
        PruningConfig config = PruningConfig.builder(0.9, total).deltaT(10)
                .rankLoss(RankLoss.lambda(1.0).partialK(0.2)).seed(1).build();
        MultiLayerNetwork plain1 = cnn();
        MultiLayerNetwork rpg1 = cnn();
        Dl4jPruning.attach(rpg1, config);
        MultiLayerNetwork plain2Net = cnn();
        ParallelWrapper plain2 = wrapper(plain2Net, mode);
        MultiLayerNetwork rpg2Net = cnn();
        ParallelWrapper rpg2Wrapper = wrapper(rpg2Net, mode);
        ParallelRun rpg2 = ParallelPruning.attach(rpg2Wrapper, config);
        String[] names = {"1 worker, plain", "1 worker, rpg4j", "2 workers, plain", "2 workers, rpg4j"};
        System.out.printf(Locale.ROOT, "2-worker mode: %s%n", mode);
        double[][] ips = new double[4][reps];
        for (int rep = -1; rep < reps; rep++) {
            double[] r = {
                    time(rounds, () -> plain1.fit(TestNets.iterator(data(rounds, 11)))),
                    time(rounds, () -> rpg1.fit(TestNets.iterator(data(rounds, 11)))),
                    time(2 * rounds, () -> {
                        if (mode == ParallelWrapper.TrainingMode.SHARED_GRADIENTS) {
                            // DL4J deadlock otherwise (docs/distributed.md): the root's updater, dropped by
                            // the previous fit, is rebuilt here rather than by worker 1 while worker 0 holds
                            // the root's lock and waits for worker 1 at the accumulator's barrier
                            plain2Net.getUpdater();
                        }
                        plain2.fit(TestNets.iterator(data(2 * rounds, 11)));
                    }),
                    time(2 * rounds, () -> rpg2.fit(TestNets.iterator(data(2 * rounds, 11))))};
            for (int v = 0; rep >= 0 && v < 4; v++) {
                ips[v][rep] = r[v];
            }
        }
        plain2.shutdown();
        rpg2Wrapper.shutdown();
        for (int v = 0; v < 4; v++) {
            System.out.printf(Locale.ROOT, "%-18s images/s per rep %s median %.1f%n", names[v], fmt(ips[v]),
                    median(ips[v]));
        }
        RoundCostSummary c = rpg2.costs();
        System.out.printf(Locale.ROOT, "rpg4j main-thread cost, 2 workers: %d rounds, %.2f ms per round boundary "
                + "(without updates); %d topology updates, %.1f ms per update; final sparsity %.3f%n", c.boundaries(),
                c.boundaryMillis() / c.boundaries(), c.updates(), c.updateMillis() / Math.max(1, c.updates()),
                rpg2.sparsity());
    }

    private static double time(int batches, Runnable fit) {
        long start = System.nanoTime();
        fit.run();
        return batches * (double) BATCH / ((System.nanoTime() - start) / 1e9);
    }

    private static ParallelWrapper wrapper(Model net, ParallelWrapper.TrainingMode mode) {
        return new ParallelWrapper.Builder<>(net).workers(2).averagingFrequency(1).prefetchBuffer(2).trainingMode(mode)
                .build();
    }

    static MultiLayerNetwork cnn() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(42).dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER).updater(new Nesterovs(0.01, 0.9)).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(16).padding(1, 1).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(32).padding(1, 1).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(
                        Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(32, 32, 3)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static List<DataSet> data(int count, long seed) {
        Nd4j.getRandom().setSeed(seed);
        List<DataSet> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, BATCH, 3, 32, 32);
            INDArray y = Nd4j.zeros(DataType.FLOAT, BATCH, 10);
            for (int j = 0; j < BATCH; j++) {
                y.putScalar(j, (i + j) % 10, 1.0);
            }
            out.add(new DataSet(x, y));
        }
        return out;
    }

    private static String fmt(double[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", v[i]));
        }
        return b.append("]").toString();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
