package org.rpg4j.benchmarks.training;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.benchmarks.training.ResNetCifar.Layers;
import org.rpg4j.dl4j.layers.FastLayers;

/**
 * Training images per second of CIFAR ResNet-20 (batch 128, synthetic data, float32, workspaces
 * on) with DL4J's standard layers and with rpg4j's fast layers, all in one JVM, reported as ratios.
 *
 * <p>The timed region is one {@code ComputationGraph.fit(DataSet)}: forward, backward, Nesterov
 * update with L2. After warm-up the variants are measured in interleaved rounds (see
 * {@link ResNetCifar.Layers}) so that load changes on a shared machine hit them alike; the report gives
 * each variant's median and best round, and their ratios to the standard layers. On a machine
 * shared with other work, the best rounds are the closer estimate of the unloaded speed.
 *
 * <p>Arguments, all optional, {@code key=value}: {@code batch=128}, {@code rounds=3},
 * {@code warmup=2}, {@code standardIterations=1}, {@code fastIterations=5},
 * {@code layers=STANDARD,FAST_CONVOLUTION,FAST_CONVOLUTION_BATCHNORM,FAST}.
 */
public final class ResNet20TrainingSpeed {

    private static final long SEED = 42;

    private ResNet20TrainingSpeed() {
    }

    /** @param args {@code key=value} options, see the class documentation */
    public static void main(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("arguments are key=value, got " + arg);
            }
            options.put(kv[0], kv[1]);
        }
        int batch = Integer.parseInt(options.getOrDefault("batch", "128"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "2"));
        int standardIterations = Integer.parseInt(options.getOrDefault("standardIterations", "1"));
        int fastIterations = Integer.parseInt(options.getOrDefault("fastIterations", "5"));
        List<Layers> variants = Arrays.stream(options.getOrDefault("layers",
                "STANDARD,FAST_CONVOLUTION,FAST_CONVOLUTION_BATCHNORM,FAST")
                .split(",")).map(Layers::valueOf).toList();

        System.out.printf(Locale.ROOT,
                "ResNet-20 training speed: batch %d, oneDNN %s, java %s, %d cores, 1-min load average %.2f%n",
                batch, FastLayers.hasOneDnn(), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        DataSet data = syntheticCifar(batch);
        Map<Layers, ComputationGraph> nets = new EnumMap<>(Layers.class);
        Map<Layers, List<Double>> secondsPerIteration = new EnumMap<>(Layers.class);
        for (Layers layers : variants) {
            ComputationGraph net = new ComputationGraph(ResNetCifar.resnet20(layers, 0.1, SEED));
            net.init();
            System.out.printf(Locale.ROOT, "%-26s %,d parameters; warming up (%d iterations)%n", layers,
                    net.numParams(), layers == Layers.STANDARD ? 1 : warmup);
            time(net, data, layers == Layers.STANDARD ? 1 : warmup);
            nets.put(layers, net);
            secondsPerIteration.put(layers, new ArrayList<>());
        }
        for (int round = 0; round < rounds; round++) {
            for (Layers layers : variants) {
                int iterations = layers == Layers.STANDARD ? standardIterations : fastIterations;
                double seconds = time(nets.get(layers), data, iterations) / iterations;
                secondsPerIteration.get(layers).add(seconds);
                System.out.printf(Locale.ROOT, "round %d %-26s %.3f s/iteration, %.1f images/s%n", round, layers,
                        seconds, batch / seconds);
            }
        }
        report(secondsPerIteration, batch);
    }

    private static void report(Map<Layers, List<Double>> secondsPerIteration, int batch) {
        System.out.printf(Locale.ROOT, "--- per variant: median and best round (1-min load average now %.2f) ---%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        List<Double> standard = secondsPerIteration.get(Layers.STANDARD);
        for (Map.Entry<Layers, List<Double>> e : secondsPerIteration.entrySet()) {
            double median = median(e.getValue());
            double best = Collections.min(e.getValue());
            String ratio = standard == null ? "" : String.format(Locale.ROOT,
                    "; %.2fx standard (median), %.2fx (best)", median(standard) / median,
                    Collections.min(standard) / best);
            System.out.printf(Locale.ROOT, "%-26s median %.3f s/iteration = %.1f images/s, best %.1f images/s%s%n",
                    e.getKey(), median, batch / median, batch / best, ratio);
        }
    }

    /** @return wall-clock seconds of {@code iterations} calls of {@code fit(data)} */
    private static double time(ComputationGraph net, DataSet data, int iterations) {
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            net.fit(data);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Seeded N(0, 1) images {@code [batch, 3, 32, 32]} and uniformly drawn one-hot labels {@code [batch, 10]}. */
    private static DataSet syntheticCifar(int batch) {
        Nd4j.getRandom().setSeed(SEED);
        INDArray features = Nd4j.randn(DataType.FLOAT, batch, 3, 32, 32);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, batch, 10);
        java.util.Random random = new java.util.Random(SEED);
        for (int i = 0; i < batch; i++) {
            labels.putScalar(i, random.nextInt(10), 1.0);
        }
        return new DataSet(features, labels);
    }
}
