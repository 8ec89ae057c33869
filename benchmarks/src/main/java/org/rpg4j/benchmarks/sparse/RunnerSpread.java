package org.rpg4j.benchmarks.sparse;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.dl4j.deploy.runner.RunnerOptions;
import org.rpg4j.dl4j.deploy.runner.SparseRunner;
import org.rpg4j.dl4j.deploy.runner.StepTime;

/**
 * One JVM's view of a runner whose speed moves from JVM to JVM: the default runner (every thread the JVM has, as in
 * {@link NetworkInferenceBenchmark}) is compiled and called {@code warm-up} times (each call's wall time printed: the
 * calibration, the kernel rechecks and the whole-call thread race show as their calls' times), then DL4J and the runner alternate
 * {@code calls} times on the same seeded input (wall time per call: median and fastest of each, and the ratio of
 * medians), then each step's fastest wall time over {@code profiles} one-call profiles ({@link SparseRunner#profile})
 * with the kernel it ran, then the runner's calibration report. Run it in several JVMs and compare the step lines
 * of a fast and a slow one.
 *
 * <p>Usage: {@code RunnerSpread MODEL VARIANT BATCH [warm-up] [calls] [profiles]}, e.g. {@code RunnerSpread VGG19
 * RPG95 32 40 20 10}.
 */
public final class RunnerSpread {

    private RunnerSpread() {
    }

    /**
     * @param args model, variant (U0, U90, U95, U98, RPG95, RPG98), batch, warm-up calls (default 40), timed calls
     *     (default 20), profiled calls (default 10)
     * @throws IOException if the RPG-pruned weights cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        String model = args[0];
        String variant = args[1];
        int batch = Integer.parseInt(args[2]);
        int warmUp = args.length > 3 ? Integer.parseInt(args[3]) : 40;
        int calls = args.length > 4 ? Integer.parseInt(args[4]) : 20;
        int profiles = args.length > 5 ? Integer.parseInt(args[5]) : 10;
        ComputationGraph graph = PrunedCifarModels.variant(model, variant);
        Nd4j.getRandom().setSeed(3);
        INDArray input = Nd4j.rand(DataType.FLOAT, batch, 3, 32, 32);
        SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults());
        StringBuilder perCall = new StringBuilder();
        for (int i = 0; i < warmUp; i++) {
            long start = System.nanoTime();
            runner.output(input);
            perCall.append(String.format(Locale.ROOT, i % 10 == 0 ? "%n    %3d:" : "", i + 1)).append(String.format(
                    Locale.ROOT, " %6.1f", (System.nanoTime() - start) / 1e6));
        }
        System.out.printf(Locale.ROOT, "warm-up calls, wall ms per call (call number first):%s%n", perCall);
        for (int i = 0; i < warmUp / 4; i++) {
            graph.outputSingle(input);
        }
        RunnerCase.printSpread(model + " " + variant + " batch " + batch, graph, runner, input, calls);
        double[] minima = null;
        List<StepTime> steps = null;
        for (int p = 0; p < profiles; p++) {
            steps = runner.profile(1, input);
            if (minima == null) {
                minima = new double[steps.size()];
                Arrays.fill(minima, Double.MAX_VALUE);
            }
            for (int s = 0; s < steps.size(); s++) {
                minima[s] = Math.min(minima[s], steps.get(s).millis());
            }
        }
        double sum = 0;
        for (int s = 0; s < steps.size(); s++) {
            StepTime step = steps.get(s);
            System.out.printf(Locale.ROOT, "  step %-22s %-16s %8.3f%n", step.name(), step.kernel(), minima[s]);
            sum += minima[s];
        }
        System.out.printf(Locale.ROOT, "  sum of step minima %.3f ms%n", sum);
        runner.report().forEach(line -> System.out.println("  report " + line));
    }
}
