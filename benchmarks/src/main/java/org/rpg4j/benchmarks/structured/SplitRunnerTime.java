package org.rpg4j.benchmarks.structured;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.dl4j.deploy.runner.ImageSplitRunner;
import org.rpg4j.dl4j.deploy.runner.RunnerOptions;
import org.rpg4j.dl4j.deploy.runner.SparseRunner;

/**
 * {@link ImageSplitRunner} against {@link SparseRunner} on a shrunk network ({@link ShrunkModels}, channel multiple 1)
 * in one JVM: after {@code warmUp} calls of each, {@code rounds} rounds of one call of each case, in turn; prints the
 * median and quartiles per case, and the first split runner's report lines of the block size.
 *
 * <p>Usage: {@code SplitRunnerTime MODEL REMOVED BATCH WARM_UP ROUNDS THREADS:BLOCK...} ({@code 0:0} is the plain
 * runner, {@code 2:m} a split runner choosing its block size by {@link ImageSplitRunner#calibrate}), e.g. {@code
 * SplitRunnerTime RESNET56 0.7 64 60 40 0:0 2:4 2:1 1:4 2:m}. With {@code -Dsplit.calibrate=true} every runner is
 * calibrated ({@code calibrate(input)}) before its warm-up calls.
 */
public final class SplitRunnerTime {

    private SplitRunnerTime() {
    }

    /** @param args model, removed fraction, batch, warm-up calls, rounds, cases */
    public static void main(String[] args) {
        String model = args[0];
        double removed = Double.parseDouble(args[1]);
        int batch = Integer.parseInt(args[2]);
        int warmUp = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        String[] cases = Arrays.copyOfRange(args, 5, args.length);
        ComputationGraph graph = (ComputationGraph) ShrunkModels.prune(model, removed, 1).network();
        Nd4j.getRandom().setSeed(42);
        INDArray input = Nd4j.rand(DataType.FLOAT, batch, 3, 32, 32);
        INDArray expected = graph.outputSingle(input);
        boolean calibrate = Boolean.getBoolean("split.calibrate");
        java.util.List<java.util.function.UnaryOperator<INDArray>> runs = new java.util.ArrayList<>();
        java.util.List<ImageSplitRunner> splits = new java.util.ArrayList<>();
        for (String c : cases) {
            String[] parts = c.split(":");
            int threads = Integer.parseInt(parts[0]);
            boolean measured = "m".equals(parts[1]);
            long start = System.nanoTime();
            if (threads == 0) {
                SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults());
                if (calibrate) {
                    runner.calibrate(input);
                }
                runs.add(x -> runner.output(x)[0]);
                splits.add(null);
            } else {
                ImageSplitRunner runner = measured ? ImageSplitRunner.compile(graph, RunnerOptions.defaults(), threads)
                        : ImageSplitRunner.compile(graph, RunnerOptions.defaults(), threads, Integer.parseInt(
                                parts[1]));
                if (calibrate || measured) {
                    runner.calibrate(input);
                }
                runs.add(x -> runner.output(x)[0]);
                splits.add(runner);
            }
            if (calibrate || measured) {
                System.out.printf(Locale.ROOT, "%s calibrated in %.0f ms%s%n", c, (System.nanoTime() - start) / 1e6,
                        threads == 0 ? "" : ", blocks of " + splits.get(splits.size() - 1).blockImages(batch));
            }
        }
        for (int k = 0; k < cases.length; k++) {
            long start = System.nanoTime();
            for (int c = 0; c < warmUp; c++) {
                runs.get(k).apply(input);
            }
            double diff = runs.get(k).apply(input).sub(expected).amaxNumber().doubleValue();
            System.out.printf(Locale.ROOT, "%s warm-up %d calls %.0f ms, max |diff| %.2e%n", cases[k], warmUp,
                    (System.nanoTime() - start) / 1e6, diff);
        }
        double[][] millis = new double[cases.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < cases.length; i++) {
                int k = (i + r) % cases.length;
                long start = System.nanoTime();
                runs.get(k).apply(input);
                millis[k][r] = (System.nanoTime() - start) / 1e6;
            }
        }
        System.out.printf(Locale.ROOT, "%s removed %s batch %d, %d rounds, load %.2f%n", model, removed, batch, rounds,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (int k = 0; k < cases.length; k++) {
            double[] sorted = millis[k].clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "  %-6s median %8.3f ms  quartiles %8.3f %8.3f  min %8.3f%n", cases[k],
                    sorted[rounds / 2], sorted[rounds / 4], sorted[3 * rounds / 4], sorted[0]);
        }
        if (Boolean.getBoolean("split.report")) {
            for (int k = 0; k < cases.length; k++) {
                if (splits.get(k) != null) {
                    System.out.println("report " + cases[k]);
                    splits.get(k).report().forEach(line -> System.out.println("  " + line));
                }
            }
        }
    }
}
