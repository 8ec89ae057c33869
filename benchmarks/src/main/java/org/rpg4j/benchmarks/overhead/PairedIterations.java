package org.rpg4j.benchmarks.overhead;

import java.util.Arrays;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.rpg4j.benchmarks.models.ModelShapes;

/**
 * The time of one CIFAR training iteration at batch 128 with and without an rpg4j run attached,
 * measured paired and interleaved in one JVM, so that both variants get exactly the same warm-up
 * (a JVM keeps getting faster over its first ~10 fits: a single-shot JMH run with 2 warm-up calls
 * per variant once made the attached network look 25 % faster than the plain one).
 *
 * <p>Both networks (rpg4j's fast layers, same seed) first take the fits that
 * {@link TrainingIterationBenchmark#attachAtTarget} needs to bring the attached run to 90 %
 * sparsity; then {@code warmup} rounds and {@code rounds} measured rounds, each round one
 * {@code fit(DataSet)} of each network, in alternating order. Prints the median and minimum per
 * variant and the ratio of medians.
 *
 * <p>Arguments: {@code [model=RESNET20] [warmup=10] [rounds=10]}.
 */
public final class PairedIterations {

    private PairedIterations() {
    }

    /**
     * @param args model name ({@link ModelShapes}), warm-up rounds, measured rounds
     */
    public static void main(String[] args) {
        ModelShapes model = ModelShapes.valueOf(args.length > 0 ? args[0] : "RESNET20");
        int warmup = args.length > 1 ? positive("warmup", args[1]) : 10;
        int rounds = args.length > 2 ? positive("rounds", args[2]) : 10;
        DataSet data = SyntheticCifar.batch(TrainingIterationBenchmark.BATCH, 7);
        ComputationGraph plain = network(model);
        ComputationGraph attached = network(model);
        TrainingIterationBenchmark.attachAtTarget(attached, data);
        for (int i = 0; i < TrainingIterationBenchmark.ATTACH_FITS; i++) {
            plain.fit(data);
        }
        double[] plainMs = new double[rounds];
        double[] attachedMs = new double[rounds];
        for (int r = -warmup; r < rounds; r++) {
            // alternate which variant goes first, so that neither always follows the other's garbage
            boolean plainFirst = (r & 1) == 0;
            double a = plainFirst ? time(plain, data) : time(attached, data);
            double b = plainFirst ? time(attached, data) : time(plain, data);
            if (r >= 0) {
                plainMs[r] = plainFirst ? a : b;
                attachedMs[r] = plainFirst ? b : a;
            }
        }
        double plainMedian = median(plainMs);
        double attachedMedian = median(attachedMs);
        System.out.printf(Locale.ROOT, "%s batch %d, %d warm-up + %d measured rounds each, interleaved:%n", model,
                TrainingIterationBenchmark.BATCH, warmup + TrainingIterationBenchmark.ATTACH_FITS, rounds);
        System.out.printf(Locale.ROOT, "  without rpg4j: median %.1f ms, min %.1f ms%n", plainMedian, min(plainMs));
        System.out.printf(Locale.ROOT, "  rpg4j attached: median %.1f ms, min %.1f ms%n", attachedMedian,
                min(attachedMs));
        System.out.printf(Locale.ROOT, "  ratio attached / without (medians): %.3f%n", attachedMedian / plainMedian);
    }

    private static ComputationGraph network(ModelShapes model) {
        ComputationGraph net = new ComputationGraph(CifarModels.of(model, true));
        net.init();
        return net;
    }

    private static double time(ComputationGraph net, DataSet data) {
        long start = System.nanoTime();
        net.fit(data);
        return (System.nanoTime() - start) / 1e6;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }

    private static int positive(String name, String value) {
        int v = Integer.parseInt(value);
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
        return v;
    }
}
