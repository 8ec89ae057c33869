package org.rpg4j.benchmarks.sparse;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.dl4j.deploy.runner.KernelKind;
import org.rpg4j.dl4j.deploy.runner.KernelPolicy;
import org.rpg4j.dl4j.deploy.runner.LayerChoice;
import org.rpg4j.dl4j.deploy.runner.RunnerOptions;
import org.rpg4j.dl4j.deploy.runner.SparseRunner;

/**
 * What a user's first calls of a freshly compiled runner cost: the wall time of each of the first
 * {@code first} calls with one batch size (the measured policy's calibration), then of {@code steady} more
 * calls, on the networks of {@link NetworkInferenceBenchmark} (same variants, same seeded input). DL4J runs
 * the input twice before the runner is compiled (ND4J and oneDNN initialised; the runner's JIT warm-up is
 * part of its first call, as for a user). Printed: each first call in ms and as a multiple of the steady
 * median, the steady median and minimum, the largest difference from DL4J's output, and how many compiled
 * layers run each kernel. Not JMH: one JVM per network, batch and variant.
 *
 * <p>Usage: {@code CalibrationCost MODEL VARIANT BATCH [first] [steady] [policy]}, e.g.
 * {@code CalibrationCost VGG19 U0 64 5 5 MEASURED}; a forced policy ({@code SPARSE}, {@code DENSE}) shows what the
 * first calls cost without calibration (JIT compilation, first allocations).
 */
public final class CalibrationCost {

    private CalibrationCost() {
    }

    /**
     * @param args model, variant (U0, U90, U95, U98, RPG95, RPG98), batch, first calls (default 5), steady calls
     *     (default 5), kernel policy (default MEASURED)
     * @throws IOException if the RPG-pruned weights cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        RunnerCase run = RunnerCase.load("CalibrationCost", args, "[first] [steady] [policy]");
        int first = RunnerCase.count(args, 3, "first", 5);
        int steady = RunnerCase.count(args, 4, "steady", 5);
        KernelPolicy policy = RunnerCase.option(args, 5, KernelPolicy.MEASURED);
        int batch = run.batch();
        ComputationGraph graph = run.graph();
        INDArray input = run.input();
        INDArray expected = graph.outputSingle(input).dup();
        graph.outputSingle(input);
        SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults().withPolicy(policy));
        double[] firstMillis = new double[first];
        double difference = 0;
        for (int c = 0; c < first; c++) {
            long start = System.nanoTime();
            INDArray out = runner.output(input)[0];
            firstMillis[c] = (System.nanoTime() - start) / 1e6;
            difference = Math.max(difference, out.sub(expected).amax().getDouble(0));
        }
        double[] steadyMillis = new double[steady];
        for (int c = 0; c < steady; c++) {
            long start = System.nanoTime();
            runner.output(input);
            steadyMillis[c] = (System.nanoTime() - start) / 1e6;
        }
        print(run.model() + " " + run.variant() + " batch " + batch + " " + policy, firstMillis, steadyMillis,
                difference, runner
                        .report(),
                batch);
    }

    private static void print(String label, double[] firstMillis, double[] steadyMillis, double difference,
                              List<LayerChoice> report, int batch) {
        double[] sorted = steadyMillis.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        StringBuilder calls = new StringBuilder();
        double total = 0;
        for (double millis : firstMillis) {
            calls.append(String.format(Locale.ROOT, " %.1f (%.1fx)", millis, millis / median));
            total += millis;
        }
        long sparse = report.stream().filter(c -> c.batch() == batch && c.kernel() == KernelKind.SPARSE).count();
        long dense = report.stream().filter(c -> c.batch() == batch && c.kernel() == KernelKind.DENSE).count();
        System.out.printf(Locale.ROOT, "calibration %s: first calls ms%s; sum %.1f ms = %.1f steady calls; steady "
                + "median %.2f min %.2f ms; max |runner - DL4J| %.2e; layers sparse %d dense %d%n", label, calls,
                total, total / median, median, sorted[0], difference, sparse, dense);
        for (LayerChoice choice : report) {
            if (choice.batch() == batch) {
                System.out.println("  " + choice);
            }
        }
    }
}
