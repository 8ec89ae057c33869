package org.rpg4j.benchmarks.pytorch;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.rpg4j.benchmarks.models.ModelShapes;
import org.rpg4j.benchmarks.overhead.SyntheticCifar;

/**
 * rpg4j's training images/s against PyTorch's for the CIFAR networks, measured in the same run in
 * interleaved blocks: the JVM trains the network with rpg4j's fast layers (batch 128, synthetic data,
 * as {@code TrainingIterationBenchmark}) and a {@code cifar_speed.py --serve} process trains the
 * same shapes; each block times {@code k} training steps on one side and then {@code k} on the other,
 * the side that goes first alternating from block to block, while the other side waits idle. Both
 * sides use 2 threads. Prints, per model, the median images/s of each side, their ratio and the goal
 * of issue 13 (>= 1.0x on ResNet-20, >= 0.8x on VGG-19).
 *
 * <p>Arguments: {@code python script MODEL:warmup:blocks:k [MODEL:warmup:blocks:k ...]}, e.g.
 * {@code /usr/bin/python3 benchmarks/pytorch/cifar_speed.py RESNET20:10:3:5 VGG19:4:3:2}. Warm-up:
 * 3 fits plus {@code warmup} fits in the JVM (as the JMH iteration benchmark's set-up), {@code warmup}
 * steps in Python, then one untimed interleaved block of {@code k} steps on each side, printed as
 * {@code warm-up block (not counted)}: the first block after the JVM has waited for the Python process
 * to start and warm up ran at a tenth of the later ones' speed in both session-14 runs of ResNet-20
 * (docs/performance.md), so no counted block is the first one after that wait.
 */
public final class SpeedAgainstPyTorch {

    private static final int SETUP_FITS = 3;

    private SpeedAgainstPyTorch() {
    }

    /**
     * @param args the interpreter, the script, then one {@code MODEL:warmup:blocks:k} per model
     */
    public static void main(String[] args) {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: SpeedAgainstPyTorch python script MODEL:warmup:blocks:k ..."
                    + ", got " + Arrays.toString(args));
        }
        StringBuilder summary = new StringBuilder();
        for (int i = 2; i < args.length; i++) {
            summary.append(compare(args[0], args[1], args[i])).append('\n');
        }
        System.out.println("=== rpg4j against PyTorch (batch " + CifarComparison.BATCH
                + ", 2 threads each, medians of interleaved blocks):");
        System.out.print(summary);
    }

    private static String compare(String python, String script, String spec) {
        String[] parts = spec.split(":");
        if (parts.length != 4) {
            throw new IllegalArgumentException("model spec must be MODEL:warmup:blocks:k, got " + spec);
        }
        CifarComparison comparison = CifarComparison.of(ModelShapes.valueOf(parts[0]));
        int warmup = count("warmup", parts[1], 0);
        int blocks = count("blocks", parts[2], 1);
        int k = count("k", parts[3], 1);
        DataSet data = SyntheticCifar.batch(CifarComparison.BATCH, 7);
        ComputationGraph net = comparison.network();
        for (int i = 0; i < SETUP_FITS + warmup; i++) {
            net.fit(data);
        }
        double[] javaSeconds = new double[blocks];
        double[] torchSeconds = new double[blocks];
        try (PyTorchWorker torch = PyTorchWorker.serve(python, script, comparison.pythonName(), warmup)) {
            double javaWarmUp = fits(net, data, k);
            double torchWarmUp = torch.run(k);
            System.out.printf(Locale.ROOT,
                    "%s warm-up block (not counted): rpg4j %.1f images/s, PyTorch %.1f images/s%n",
                    comparison.label(), imagesPerSecond(k, javaWarmUp), imagesPerSecond(k, torchWarmUp));
            for (int b = 0; b < blocks; b++) {
                if (b % 2 == 0) {
                    javaSeconds[b] = fits(net, data, k);
                    torchSeconds[b] = torch.run(k);
                } else {
                    torchSeconds[b] = torch.run(k);
                    javaSeconds[b] = fits(net, data, k);
                }
                System.out.printf(Locale.ROOT, "%s block %d: rpg4j %.1f images/s, PyTorch %.1f images/s (load %.1f)%n",
                        comparison.label(), b, imagesPerSecond(k, javaSeconds[b]),
                        imagesPerSecond(k, torchSeconds[b]), load());
            }
        }
        double java = imagesPerSecond(k, median(javaSeconds));
        double torch = imagesPerSecond(k, median(torchSeconds));
        double ratio = java / torch;
        return String.format(Locale.ROOT, "%s: rpg4j %.1f images/s, PyTorch %.1f images/s, ratio %.3f, %s "
                + "(%d blocks of %d steps, load %.1f)", comparison.label(), java, torch, ratio,
                comparison.verdict(ratio), blocks, k, load());
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static double fits(ComputationGraph net, DataSet data, int k) {
        long start = System.nanoTime();
        for (int i = 0; i < k; i++) {
            net.fit(data);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static double imagesPerSecond(int steps, double seconds) {
        return steps * CifarComparison.BATCH / seconds;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static int count(String name, String value, int least) {
        int v = Integer.parseInt(value);
        if (v < least) {
            throw new IllegalArgumentException(name + " must be >= " + least + ", got " + value);
        }
        return v;
    }
}
