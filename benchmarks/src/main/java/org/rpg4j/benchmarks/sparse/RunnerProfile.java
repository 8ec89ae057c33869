package org.rpg4j.benchmarks.sparse;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.dl4j.deploy.runner.KernelPolicy;
import org.rpg4j.dl4j.deploy.runner.RunnerOptions;
import org.rpg4j.dl4j.deploy.runner.SparseRunner;
import org.rpg4j.dl4j.deploy.runner.StepCoverage;
import org.rpg4j.dl4j.deploy.runner.StepTime;

/**
 * Where a compiled runner's time goes: {@link SparseRunner#profile} on the networks of
 * {@link NetworkInferenceBenchmark} (same variants, same seeded input), printed per step and summed per
 * step kind (sparse convolutions, dense convolutions, pooling, adds, DL4J fallbacks, ...), beside DL4J's
 * own time per call for the same input. Not JMH: the runner is called {@code warm-up} times, then
 * DL4J and the profiled runner alternate {@code rounds} times (so both see the same load) and the
 * per-step times are the mean over all profiled calls.
 *
 * <p>Usage: {@code RunnerProfile MODEL VARIANT BATCH [rounds] [coverage] [policy]}, e.g.
 * {@code RunnerProfile VGG19 RPG95 32 10 KERNELS_AND_POOLING}; a {@link KernelPolicy} ({@code DENSE}, {@code SPARSE})
 * fixes every layer's kernel instead of the measured choice, which gives each layer's time under each kernel. The
 * runner's {@link SparseRunner#report()} (each layer's calibration times and choice) is printed last.
 */
public final class RunnerProfile {

    private static final int WARM_UP = 8;
    private static final int CALLS_PER_ROUND = 2;

    private RunnerProfile() {
    }

    /**
     * @param args model, variant (U0, U90, U95, U98, RPG95, RPG98), batch, rounds (default 10), coverage
     *     (default KERNELS_AND_POOLING), kernel policy (default MEASURED)
     * @throws IOException if the RPG-pruned weights cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        RunnerCase run = RunnerCase.load("RunnerProfile", args, "[rounds] [coverage] [policy]");
        int rounds = RunnerCase.count(args, 3, "rounds", 10);
        StepCoverage coverage = RunnerCase.option(args, 4, StepCoverage.KERNELS_AND_POOLING);
        KernelPolicy policy = RunnerCase.option(args, 5, KernelPolicy.MEASURED);
        ComputationGraph graph = run.graph();
        INDArray input = run.input();
        SparseRunner runner = SparseRunner.compile(graph, RunnerOptions.defaults().withCoverage(coverage)
                .withPolicy(policy));
        run.warmUp(runner, WARM_UP);
        double[] stepMillis = null;
        List<StepTime> steps = null;
        long dl4jNanos = 0;
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            for (int c = 0; c < CALLS_PER_ROUND; c++) {
                graph.outputSingle(input);
            }
            dl4jNanos += System.nanoTime() - start;
            steps = runner.profile(CALLS_PER_ROUND, input);
            stepMillis = stepMillis == null ? new double[steps.size()] : stepMillis;
            for (int s = 0; s < steps.size(); s++) {
                stepMillis[s] += steps.get(s).millis() / rounds;
            }
        }
        print(run.model(), run.variant(), run.batch(), coverage, steps, stepMillis, dl4jNanos / 1e6 / (rounds
                * CALLS_PER_ROUND));
        System.out.println("  calibration report (kernel chosen, fastest calibration runs):");
        runner.report().forEach(line -> System.out.println("    " + line));
    }

    private static void print(String model, String variant, int batch, StepCoverage coverage, List<StepTime> steps,
                              double[] stepMillis, double dl4jMillis) {
        System.out.printf(Locale.ROOT, "profile %s %s batch %d %s: ms per call%n", model, variant, batch, coverage);
        Map<String, double[]> kinds = new TreeMap<>();
        double total = 0;
        for (int s = 0; s < steps.size(); s++) {
            StepTime step = steps.get(s);
            System.out.printf(Locale.ROOT, "  %-22s %-36s %-6s %8.3f%n", step.name(), step.operation(), step.kernel(),
                    stepMillis[s]);
            String kind = step.kernel() + " " + step.operation().split(" ")[0];
            double[] sum = kinds.computeIfAbsent(kind, k -> new double[2]);
            sum[0] += stepMillis[s];
            sum[1]++;
            total += stepMillis[s];
        }
        System.out.printf(Locale.ROOT, "  per step kind (kernel, operation): ms per call, steps, share%n");
        for (Map.Entry<String, double[]> e : kinds.entrySet()) {
            System.out.printf(Locale.ROOT, "    %-24s %8.3f ms %3.0f steps %5.1f %%%n", e.getKey(), e.getValue()[0],
                    e.getValue()[1], 100 * e.getValue()[0] / total);
        }
        System.out.printf(Locale.ROOT, "  runner steps total %.3f ms; DL4J %.3f ms per call; speed-up %.2fx%n", total,
                dl4jMillis, dl4jMillis / total);
    }
}
